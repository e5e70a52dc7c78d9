package org.acslifecycle.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.acslifecycle.core.DeletionControls;
import org.acslifecycle.core.Operation;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deletions list-held|release|cancel}: the deletions the breaker holds for a person to decide on. */
@Command(name = "deletions", mixinStandardHelpOptions = true,
        description = "Deletions the deletion breaker holds: list them, release them (they go ahead), or cancel them"
                + " (the identity stays, access stays cut).",
        subcommands = {DeletionsCommand.ListHeld.class, DeletionsCommand.Release.class, DeletionsCommand.Cancel.class})
final class DeletionsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list-held", mixinStandardHelpOptions = true, description = "List the held deletions.")
    static final class ListHeld implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @Option(names = "--json", description = "Print JSON instead of text.") boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Wiring wiring = configOptions.wiring()) {
                List<Operation> held = wiring.deletionSafety().heldByBreaker();
                out.println(json ? Json.write(held) : held.isEmpty() ? "No deletions held."
                        : held.size() + " deletion(s) held by the breaker:\n" + OpsCommand.text(held));
                return 0;
            }
        }
    }

    /** --all, or the people named: one of the two. */
    static final class Which {
        @Option(names = "--all", required = true, description = "Every held deletion.") boolean all;
        @Parameters(paramLabel = "EXTERNAL_ID", arity = "1..*", description = "The people whose held deletions.")
        List<String> people;

        DeletionControls.Selection selection() {
            return new DeletionControls.Selection(all, all ? Set.of() : Set.copyOf(people));
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Let held deletions go ahead (within the delete budget).")
    static final class Release implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @ArgGroup(exclusive = true, multiplicity = "1") Which which;
        @Mixin ActorOptions actor;

        @Override
        public Integer call() {
            try (Wiring wiring = configOptions.wiring()) {
                List<Operation> released = wiring.deletions().release(which.selection(), actor.required(spec));
                spec.commandLine().getOut().println(released.size() + " held deletion(s) released");
                return 0;
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel held deletions: the identities stay (access cut); an onboarding still reverses them.")
    static final class Cancel implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @ArgGroup(exclusive = true, multiplicity = "1") Which which;
        @Mixin ActorOptions actor;

        @Override
        public Integer call() {
            try (Wiring wiring = configOptions.wiring()) {
                List<Operation> cancelled = wiring.deletions().cancel(which.selection(), actor.required(spec));
                spec.commandLine().getOut().println(cancelled.size() + " held deletion(s) cancelled");
                return 0;
            }
        }
    }

    static CommandLine.ParameterException missingReason(CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(),
                "--reason is required: a decision over a deletion is audited with its reason");
    }
}
