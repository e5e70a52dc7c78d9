package org.acslifecycle.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OrphanService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code orphans delete}: settle the journal creates that may have left an identity nobody knows of (DESIGN §4). */
@Command(name = "orphans", mixinStandardHelpOptions = true,
        description = "Identities ACS may hold that no ledger record points to (`ledger intents` lists them).",
        subcommands = {OrphansCommand.Delete.class})
final class OrphansCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Re-send a possibly orphaned create with its stored Repeatability-Request-ID and"
                    + " first-sent time, so ACS returns the identity it made for it; delete that identity unless it is"
                    + " the person's current one. Audited; the create is then no longer a possible orphan.",
                    "Only for CANCELLED, DROPPED or DONE creates, and only while ACS still tracks the request id."})
    static final class Delete implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @Mixin ActorOptions actor;

        @Option(names = "--all", description = "Every possible orphan that can be settled now (`ledger intents`).")
        boolean all;

        @Parameters(paramLabel = "OPERATION_ID", arity = "0..*", description = "Create operations (see `ledger intents`).")
        List<Long> operationIds = new ArrayList<>();

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            if (all == !operationIds.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give either --all or OPERATION_IDs");
            }
            try (Wiring wiring = configOptions.wiring()) {
                OrphanService orphans = wiring.orphans();
                List<Long> targets = all ? orphans.settleable().stream().map(Operation::id).toList() : operationIds;
                List<Map<String, Object>> results = new ArrayList<>();
                int exit = 0;
                for (long id : targets) {
                    OrphanService.Result result = orphans.delete(
                            new OrphanService.Request(id, actor.operator, actor.reason()));
                    results.add(describe(id, result));
                    exit = Math.max(exit, exitCode(result));
                }
                print(results, targets.isEmpty());
                return exit;
            }
        }

        private void print(List<Map<String, Object>> results, boolean none) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(Map.of("results", results)));
                return;
            }
            if (none) {
                out.println("No possible orphan to settle.");
            }
            for (Map<String, Object> result : results) {
                String line = "operation " + result.get("operationId") + ": " + result.get("summary");
                if ("refused".equals(result.get("result")) || "not-found".equals(result.get("result"))) {
                    spec.commandLine().getErr().println(line);
                } else {
                    out.println(line);
                }
            }
        }

        private static Map<String, Object> describe(long id, OrphanService.Result result) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("operationId", id);
            if (result instanceof OrphanService.Result.Deleted deleted) {
                body.put("result", "deleted");
                body.put("acsUserId", deleted.acsUserId());
                body.put("summary", "deleted orphan " + deleted.acsUserId() + " (" + deleted.operation().externalId()
                        + ")");
            } else if (result instanceof OrphanService.Result.Kept kept) {
                body.put("result", "kept");
                body.put("acsUserId", kept.acsUserId());
                body.put("summary", "ACS made " + kept.acsUserId() + ", " + kept.operation().externalId()
                        + "'s current identity: no orphan");
            } else if (result instanceof OrphanService.Result.Refused refused) {
                body.put("result", "refused");
                body.put("summary", "refused: " + refused.reason());
            } else {
                body.put("result", "not-found");
                body.put("summary", "no create operation " + id);
            }
            return body;
        }

        private static int exitCode(OrphanService.Result result) {
            if (result instanceof OrphanService.Result.Refused) {
                return OperatorOptions.REFUSED;
            }
            return result instanceof OrphanService.Result.NotFound ? OpsCommand.NOT_FOUND : 0;
        }
    }
}
