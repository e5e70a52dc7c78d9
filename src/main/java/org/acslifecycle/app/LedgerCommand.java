package org.acslifecycle.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.ledger.JdbcLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger history|intents}: what the ledger knows, for operators. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Read the ledger: one person's record and history, or intents that never completed.",
        subcommands = {LedgerCommand.History.class, LedgerCommand.Intents.class})
final class LedgerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final int NOT_FOUND = 3;

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Print a person's record, audit trail (oldest first) and intents.")
    static final class History implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;

        @Parameters(paramLabel = "EXTERNAL_ID", description = "The person's id in HR/IAM (the events' subject).")
        String externalId;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Wiring wiring = configOptions.wiring()) {
                JdbcLedger ledger = wiring.ledger();
                Optional<PersonHistory> history = ledger.history(externalId);
                if (history.isEmpty()) {
                    spec.commandLine().getErr().println("The ledger has no record of '" + externalId + "'.");
                    return NOT_FOUND;
                }
                out.println(json ? Json.write(history.get()) : HistoryText.of(externalId, history.get()));
                if (!json) {
                    // What is still to come: a future-dated change, and a legal hold that keeps a deletion waiting.
                    ledger.pendingChange(externalId).ifPresent(change -> out.printf("%nPending change: %s (%s#%s, time"
                            + " %s) takes effect at %s%n", change.type().cloudEventType(), change.key().source(),
                            change.key().id(), change.time(), change.effective()));
                    wiring.deletionSafety().hold(externalId)
                            .ifPresent(hold -> out.printf("%nLegal hold since %s by %s: %s%n", hold.placedAt(),
                                    hold.operator(), hold.reason()));
                }
                return 0;
            }
        }
    }

    @Command(name = "intents", mixinStandardHelpOptions = true,
            description = "List operator intents that never completed (PENDING or ABANDONED) and journal creates that"
                    + " may have made an identity nobody recorded: where orphan identities may be.")
    static final class Intents implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Wiring wiring = configOptions.wiring()) {
                JdbcLedger ledger = wiring.ledger();
                List<Intent> intents = ledger.incompleteIntents();
                List<Operation> creates = ledger.possibleOrphans();
                if (json) {
                    out.println(Json.write(java.util.Map.of("intents", intents, "possibleOrphans", creates)));
                } else {
                    out.println(HistoryText.intents(intents));
                    out.println(creates.isEmpty() ? "No journal create may have left an orphan."
                            : "Journal creates that may have left an orphan:\n" + OpsCommand.text(creates));
                }
                return 0;
            }
        }
    }

    /** The human-readable forms. */
    static final class HistoryText {
        private HistoryText() {}

        static String of(String externalId, PersonHistory history) {
            StringBuilder text = new StringBuilder();
            text.append(history.record().map(r -> String.format("%s: %s, ACS user %s, last event %s at %s%n",
                    externalId, r.state(), r.acsUserId().orElse("(none)"), r.lastEventKey(), r.lastEventTime()))
                    .orElse(externalId + ": no record (only audit rows)\n"));
            text.append(String.format("%nHistory (oldest first):%n"));
            for (AuditEntry row : history.audit()) {
                text.append(String.format("  %s  %-9s %-16s %s#%s  time %s  by %s%s%s%n", row.recordedAt(), row.outcome(),
                        row.eventType().orElse("-"), row.eventSource().orElse("-"), row.eventId().orElse("-"),
                        row.eventTime().map(Object::toString).orElse("-"), row.actor(),
                        row.acsUserId().map(id -> "  ACS " + id).orElse(""),
                        row.reason().map(r -> "  reason: " + r).orElse("")));
            }
            if (!history.operations().isEmpty()) {
                text.append(String.format("%nJournal (ACS operations):%n")).append(OpsCommand.text(history.operations()));
                text.append(String.format("%n"));
            }
            if (!history.intents().isEmpty()) {
                text.append(String.format("%nIntents:%n")).append(intents(history.intents()));
            }
            return text.toString().stripTrailing();
        }

        static String intents(List<Intent> intents) {
            if (intents.isEmpty()) {
                return "No intents.";
            }
            StringBuilder text = new StringBuilder();
            for (Intent intent : intents) {
                text.append(String.format("  #%d %s %-15s %-9s for %s (event %s)%s%s%s%n", intent.id(), intent.createdAt(),
                        intent.action(), intent.status(), intent.externalId(), intent.eventKey(),
                        intent.acsUserId().map(id -> " ACS " + id).orElse(""),
                        intent.mayHaveOrphan() ? "  POSSIBLE ORPHAN: ACS may hold an identity created about then" : "",
                        intent.note().map(n -> "  note: " + n).orElse("")));
            }
            return text.toString().stripTrailing();
        }
    }
}
