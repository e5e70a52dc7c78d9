package org.acslifecycle.app;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.acslifecycle.core.JournalService;
import org.acslifecycle.core.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ops list|retry|drop}: the journal's operations, for operators (DESIGN §5). */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = "The journal of ACS operations: list them, retry a failed one, drop one.",
        subcommands = {OpsCommand.ListOps.class, OpsCommand.Retry.class, OpsCommand.Drop.class})
final class OpsCommand implements Runnable {

    static final int NOT_FOUND = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List operations (default: PENDING and FAILED), oldest first.")
    static final class ListOps implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "Statuses to list: ${COMPLETION-CANDIDATES} (default: PENDING,FAILED).")
        Set<Operation.Status> statuses;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (default 100).")
        int limit;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            Set<Operation.Status> wanted = statuses == null || statuses.isEmpty()
                    ? EnumSet.of(Operation.Status.PENDING, Operation.Status.FAILED) : statuses;
            PrintWriter out = spec.commandLine().getOut();
            try (Wiring wiring = configOptions.wiring()) {
                List<Operation> operations = wiring.ledger().operations(wanted, Math.max(1, limit));
                out.println(json ? Json.write(operations) : text(operations));
                return 0;
            }
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Make a FAILED (or DROPPED) operation due again; a running worker picks it up.")
    static final class Retry implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Target target;

        @Override
        public Integer call() {
            return target.run(spec, JournalService::retry);
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Give up on a PENDING or FAILED operation: the executor will not do it.")
    static final class Drop implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Target target;

        @Override
        public Integer call() {
            return target.run(spec, JournalService::drop);
        }
    }

    /** The operation, who acts and why. */
    static final class Target {
        @Mixin ConfigOptions configOptions;

        @Parameters(index = "0", paramLabel = "OPERATION_ID", description = "The operation's id (see `ops list`).")
        long operationId;

        @Mixin ActorOptions actor;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        int run(CommandSpec spec, java.util.function.BiFunction<JournalService, JournalService.Request,
                JournalService.Result> command) {
            try (Wiring wiring = configOptions.wiring()) {
                JournalService.Result result = command.apply(wiring.journal(),
                        new JournalService.Request(operationId, actor.operator, actor.reason()));
                return print(spec, result);
            }
        }

        private int print(CommandSpec spec, JournalService.Result result) {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> body = new LinkedHashMap<>();
            int exit;
            String line;
            if (result instanceof JournalService.Result.Done done) {
                body.put("result", "done");
                body.put("summary", done.summary());
                line = done.summary();
                exit = 0;
            } else if (result instanceof JournalService.Result.Refused refused) {
                body.put("result", "refused");
                body.put("reason", refused.reason());
                line = "refused: " + refused.reason();
                exit = OperatorOptions.REFUSED;
            } else {
                body.put("result", "not-found");
                line = "no operation " + operationId;
                exit = NOT_FOUND;
            }
            body.put("operationId", operationId);
            if (json) {
                out.println(Json.write(body));
            } else if (exit == 0) {
                out.println(line);
            } else {
                spec.commandLine().getErr().println(line);
            }
            return exit;
        }
    }

    static String text(List<Operation> operations) {
        if (operations.isEmpty()) {
            return "No operations.";
        }
        StringBuilder text = new StringBuilder();
        for (Operation op : operations) {
            text.append(String.format("  #%d %-8s %-9s for %s%s  due %s  attempts %d  (event %s)%s%s%s%s%n", op.id(),
                    op.kind(), op.status(), op.externalId(), op.acsUserId().map(id -> " ACS " + id).orElse(""),
                    op.notBefore(), op.attempts(), op.cause(),
                    op.createRequest().map(r -> "  request " + r.requestId() + " first sent " + r.firstSent())
                            .orElse(""),
                    op.lastError().map(e -> "  last: " + e).orElse(""),
                    op.orphanSettled().map(at -> "  orphan settled " + at).orElse(""),
                    op.mayHaveOrphan() ? "  POSSIBLE ORPHAN: ACS may hold an identity created about then"
                            + (op.status() == Operation.Status.PENDING ? "" : " (`orphans delete " + op.id() + "`)")
                            : ""));
        }
        return text.toString().stripTrailing();
    }
}
