package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.reconcile.CorrectiveEvent;
import org.acslifecycle.core.reconcile.DriftComparison;
import org.acslifecycle.core.reconcile.DriftFinding;
import org.acslifecycle.core.reconcile.DriftKind;
import org.acslifecycle.core.reconcile.Roster;
import org.acslifecycle.core.reconcile.RosterProblem;
import org.acslifecycle.core.event.EventFields;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code reconcile}: compares an HR roster export with the ledger and reports drift, most critical first; with
 * {@code --apply}, publishes one corrective lifecycle event per drifted person onto the lifecycle queue, where
 * the worker applies it like any other (time fence, duplicate detection, and later the deletion breaker).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Compare an HR roster export (CSV) with the ledger: missed offboardings, missed suspensions, "
                + "missing identities, missed reinstatements, people unknown to HR, incomplete operations.",
                "Dry run unless --apply. Exit code 0: no drift; 3: drift found; 65: the roster is invalid (nothing "
                        + "published); 66: the roster cannot be read."})
final class ReconcileCommand implements Callable<Integer> {

    static final int DRIFT_FOUND = 3;
    /** sysexits' EX_DATAERR: the roster's content is wrong. */
    static final int INVALID_ROSTER = 65;
    /** sysexits' EX_NOINPUT: the roster cannot be opened or read. */
    static final int UNREADABLE_ROSTER = 66;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--roster", required = true, paramLabel = "FILE",
            description = "The HR roster export: CSV with a header; columns and status values as in the "
                    + "reconcile.roster.* configuration keys.")
    Path rosterFile;

    @Option(names = "--as-of", paramLabel = "RFC3339",
            description = "When the export was taken; the corrective events' time. Required with --apply; "
                    + "a dry run without it uses the file's last-modified time.")
    String asOfText;

    @Option(names = "--apply", description = "Publish one corrective event per drifted person (default: dry run).")
    boolean apply;

    @Option(names = "--absent-means-terminated",
            description = "People with an identity whom the roster does not list are leavers: missed offboardings.")
    boolean absentMeansTerminated;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--operator", paramLabel = "NAME", defaultValue = "${env:USER:-operator}",
            description = "Who is acting, for the audit trail (default: $USER).")
    String operator;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail. Required with --apply.")
    String reason;

    @Override
    public Integer call() {
        if (apply && (reason == null || reason.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--apply needs --reason, for the audit trail");
        }
        if (apply && asOfText == null) {
            // The file's time is when it was copied here, not when HR took it: a leaver terminated in between
            // would look like a missing identity and be onboarded again. The export's own time is needed.
            throw new ParameterException(spec.commandLine(), "--apply needs --as-of: the time the export was taken");
        }
        Instant asOfArgument = asOfText == null ? null : EventFields.parseTime(asOfText).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--as-of must be an RFC 3339 date-time such as "
                        + "2026-01-31T06:00:00Z, was '" + asOfText + "'"));
        Config config = configOptions.config();
        // With --apply, a bad Service Bus setting stops the run before anything is read, not halfway.
        ServiceBusSettings serviceBus = apply ? WorkerSettings.serviceBus(config) : null;
        PrintWriter err = spec.commandLine().getErr();
        Roster roster;
        Instant asOf;
        try {
            roster = RosterCsv.read(rosterFile, ReconcileSettings.rosterFormat(config));
            asOf = asOfArgument != null ? asOfArgument : lastModified(rosterFile);
        } catch (RosterCsv.Unreadable e) {
            err.println("error: " + e.getMessage() + "; nothing was compared or published");
            return UNREADABLE_ROSTER;
        } catch (RosterProblem e) {
            err.println("error: roster " + rosterFile + " " + e.getMessage() + "; nothing was compared or published");
            return INVALID_ROSTER;
        }

        List<DriftFinding> findings = new ArrayList<>();
        DriftComparison.Summary summary;
        List<Map<String, Object>> published = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        try (Wiring wiring = Wiring.from(config)) {
            JdbcLedger ledger = wiring.ledger();
            DriftComparison comparison = new DriftComparison(roster, asOf, absentMeansTerminated, findings::add);
            ledger.forEachPerson(comparison::ledgerPerson);
            incompleteOperations(ledger, comparison);
            summary = comparison.finish();
            findings.sort(DriftFinding.REPORT_ORDER);
            if (!json) {
                // The drift is on record before anything is sent: if sending fails, the report was still printed.
                out.print(text(asOf, summary, findings));
                out.flush();
            }
            if (apply) {
                published = publish(serviceBus, ledger, findings, asOf, summary);
            }
        }
        if (json) {
            out.println(Json.write(report(asOf, summary, findings, published)));
        } else if (apply) {
            int reportedOnly = (int) findings.stream().filter(f -> f.kind().correction().isEmpty()).count();
            out.println();
            out.println("applied: " + published.size() + " corrective event(s) published (source "
                    + CorrectiveEvent.SOURCE + ", time " + asOf + "); " + reportedOnly + " finding(s) reported only");
        }
        out.flush();
        return summary.drift() == 0 ? 0 : DRIFT_FOUND;
    }

    /**
     * Operations the ledger never saw finish. Today the ledger's incomplete intents; the one place to change when
     * the journal replaces them.
     */
    static void incompleteOperations(Ledger ledger, DriftComparison comparison) {
        // The journal: operations ACS refused for good (waiting for `ops retry`), and creates whose answer was lost.
        java.util.Set<Long> seen = new java.util.HashSet<>();
        List<org.acslifecycle.core.Operation> journal = new ArrayList<>(
                ledger.operations(java.util.Set.of(org.acslifecycle.core.Operation.Status.FAILED), 100_000));
        journal.addAll(ledger.possibleOrphans());
        for (org.acslifecycle.core.Operation op : journal) {
            if (seen.add(op.id())) {
                comparison.incompleteOperation(op.externalId(), op.kind() + " " + op.status() + " (operation " + op.id()
                        + ", " + op.attempts() + " attempts) since " + op.createdAt() + " for event " + op.cause()
                        + (op.mayHaveOrphan() ? ": an orphan ACS identity may exist" : "")
                        + op.lastError().map(error -> "; last error: " + error).orElse(""));
            }
        }
        // The operators' direct calls.
        for (Intent intent : ledger.incompleteIntents()) {
            comparison.incompleteOperation(intent.externalId(), intent.action() + " " + intent.status()
                    + " since " + intent.createdAt() + " for event " + intent.eventKey()
                    + (intent.mayHaveOrphan() ? ": an orphan ACS identity may exist" : ""));
        }
    }

    private List<Map<String, Object>> publish(ServiceBusSettings settings, Ledger ledger, List<DriftFinding> findings,
            Instant asOf, DriftComparison.Summary summary) {
        List<Map<String, Object>> published = new ArrayList<>();
        try (ServiceBusSenderClient sender = ServiceBusClients.builder(settings,
                        AzureCredentials.shared(configOptions.config()))
                .sender().queueName(settings.queue()).buildClient()) {
            EventPublisher publisher = new EventPublisher(sender);
            for (DriftFinding finding : findings) {
                Optional<CorrectiveEvent> correction = CorrectiveEvent.of(finding, asOf, reason);
                if (correction.isEmpty()) {
                    continue;
                }
                CorrectiveEvent event = correction.get();
                publisher.publish(EventPublisher.cloudEvent(event.id(), CorrectiveEvent.SOURCE,
                        event.type().cloudEventType(), event.subject(), event.time().toString(), event.reason()),
                        event.messageId());
                // Audited after the send: the row says what was done. A crash in between leaves an event sent
                // unaudited; applying again re-sends the same ids, which duplicate detection drops.
                ledger.audit(new AuditEntry(Optional.of(event.id()), Optional.of(CorrectiveEvent.SOURCE),
                        Optional.of(event.type().cloudEventType()), Optional.of(event.subject()), Optional.of(asOf),
                        AuditEntry.Outcome.OPERATOR, Optional.empty(),
                        Optional.of("reconcile published " + event.type().cloudEventType() + ": "
                                + finding.kind().label() + " (" + finding.detail() + "): " + reason),
                        operator, Wiring.CLOCK.instant()));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("externalId", event.subject());
                row.put("kind", finding.kind().label());
                row.put("type", event.type().cloudEventType());
                row.put("eventId", event.id());
                row.put("messageId", event.messageId());
                published.add(row);
            }
        }
        ledger.audit(new AuditEntry(Optional.empty(), Optional.of(CorrectiveEvent.SOURCE), Optional.empty(),
                Optional.empty(), Optional.of(asOf), AuditEntry.Outcome.OPERATOR, Optional.empty(),
                Optional.of("reconcile --apply of roster " + rosterFile.getFileName() + " as of " + asOf + ": "
                        + summary.drift() + " drifted, " + published.size() + " corrective event(s) published to "
                        + settings.queue() + ": " + reason), operator, Wiring.CLOCK.instant()));
        return published;
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            throw new RosterCsv.Unreadable("cannot read the roster " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> report(Instant asOf, DriftComparison.Summary summary, List<DriftFinding> findings,
            List<Map<String, Object>> published) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("roster", rosterFile.toString());
        body.put("asOf", asOf.toString());
        body.put("asOfFrom", asOfText == null ? "file last-modified time" : "--as-of");
        body.put("rosterRows", summary.rosterRows());
        body.put("ledgerPeople", summary.ledgerPeople());
        body.put("drift", summary.drift());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DriftKind kind : DriftKind.values()) {
            counts.put(kind.label(), summary.count(kind));
        }
        body.put("counts", counts);
        body.put("notCompared", Map.of("newerInLedger", summary.newerInLedger(),
                "notYetEffective", summary.notYetEffective()));
        body.put("findings", findings.stream().map(f -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", f.kind().label());
            row.put("externalId", f.externalId());
            row.put("rosterStatus", f.rosterStatus().map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).orElse(null));
            row.put("rosterLine", f.rosterLine() == 0 ? null : f.rosterLine());
            row.put("ledgerState", f.ledgerState().map(Enum::name).orElse(null));
            row.put("ledgerEventTime", f.ledgerEventTime().map(Instant::toString).orElse(null));
            row.put("detail", f.detail());
            row.put("correction", f.kind().correction().map(t -> t.cloudEventType()).orElse(null));
            return row;
        }).toList());
        body.put("applied", apply);
        if (apply) {
            body.put("published", published);
        }
        return body;
    }

    private String text(Instant asOf, DriftComparison.Summary summary, List<DriftFinding> findings) {
        StringBuilder out = new StringBuilder();
        out.append("roster ").append(rosterFile.getFileName()).append(" as of ").append(asOf)
                .append(asOfText == null ? " (the file's last-modified time)" : "").append(": ")
                .append(summary.rosterRows()).append(" rows; ledger: ").append(summary.ledgerPeople()).append(" people\n");
        // One line with every count, stable for alerts to match: "drift N: missed-offboarding=N ...".
        out.append("drift ").append(summary.drift()).append(':');
        for (DriftKind kind : DriftKind.values()) {
            out.append(' ').append(kind.label()).append('=').append(summary.count(kind));
        }
        out.append('\n');
        out.append("not compared: ").append(summary.newerInLedger()).append(" with a ledger event newer than the roster, ")
                .append(summary.notYetEffective()).append(" not yet effective\n");
        if (!findings.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"kind", "external id", "roster", "ledger", "detail"});
            for (DriftFinding f : findings) {
                rows.add(new String[] {f.kind().label(), f.externalId(),
                        f.rosterStatus().map(s -> s.name().toLowerCase(java.util.Locale.ROOT) + " (line " + f.rosterLine()
                                + ")").orElse("-"),
                        f.ledgerState().map(Enum::name).orElse("-"), f.detail()});
            }
            int[] widths = new int[4];
            for (String[] row : rows) {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            out.append('\n');
            for (String[] row : rows) {
                for (int i = 0; i < widths.length; i++) {
                    out.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
                }
                out.append(row[4]).append('\n');
            }
        }
        if (!apply && summary.drift() > 0) {
            out.append('\n').append("dry run: nothing published (--apply publishes the corrections)\n");
        }
        return out.toString();
    }
}
