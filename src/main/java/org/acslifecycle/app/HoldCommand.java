package org.acslifecycle.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.acslifecycle.core.port.DeletionSafety;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hold add|remove|list}: legal holds. A held person's deletion waits; revocation never does (DESIGN §3). */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = "Legal holds: a held person's deletion waits until the hold is lifted; access is still cut.",
        subcommands = {HoldCommand.Add.class, HoldCommand.Remove.class, HoldCommand.ListHolds.class})
final class HoldCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Put a person on legal hold.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @Parameters(index = "0", paramLabel = "EXTERNAL_ID", description = "The person's id in HR/IAM.") String externalId;
        @Mixin ActorOptions actor;

        @Override
        public Integer call() {
            try (Wiring wiring = configOptions.wiring()) {
                wiring.deletions().placeHold(externalId, actor.required(spec));
                spec.commandLine().getOut().println(externalId + " is on legal hold: their deletion waits until"
                        + " `hold remove " + externalId + "`");
                return 0;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Lift a person's legal hold: a deletion it kept waiting is due again.")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @Parameters(index = "0", paramLabel = "EXTERNAL_ID", description = "The person's id in HR/IAM.") String externalId;
        @Mixin ActorOptions actor;

        @Override
        public Integer call() {
            try (Wiring wiring = configOptions.wiring()) {
                if (!wiring.deletions().liftHold(externalId, actor.required(spec))) {
                    spec.commandLine().getErr().println("no legal hold on " + externalId);
                    return OpsCommand.NOT_FOUND;
                }
                spec.commandLine().getOut().println("legal hold on " + externalId + " lifted");
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the legal holds.")
    static final class ListHolds implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @Option(names = "--json", description = "Print JSON instead of text.") boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Wiring wiring = configOptions.wiring()) {
                List<DeletionSafety.LegalHold> holds = wiring.deletionSafety().holds();
                if (json) {
                    out.println(Json.write(holds));
                } else if (holds.isEmpty()) {
                    out.println("No legal holds.");
                } else {
                    holds.forEach(hold -> out.printf("  %s  since %s by %s: %s%n", hold.externalId(), hold.placedAt(),
                            hold.operator(), hold.reason()));
                }
                return 0;
            }
        }
    }
}
