package org.acslifecycle.app;

import org.acslifecycle.app.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar target/acs-lifecycle.jar <command>}. Subcommands are wired here only. */
@Command(
        name = "acs-lifecycle",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Keeps Azure Communication Services identities in step with HR/IAM lifecycle events.",
        subcommands = {LocalCommand.class, RunCommand.class, EmulatorsCommand.class, LedgerCommand.class, OpsCommand.class, HoldCommand.class,
                DeletionsCommand.class, OrphansCommand.class,
                IdentityCommand.class, TokenCommand.class, DevTokenCommand.class, DlqCommand.class, PublishCommand.class,
                ReconcileCommand.class})
public final class Main implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportFailure);
    }

    /** Exit code for a missing or bad configuration value (sysexits' EX_CONFIG). */
    static final int CONFIG_ERROR = 78;

    /**
     * A failed command prints one line that says what went wrong, not a stack trace; the trace goes to
     * the debug log. Messages of our own exceptions never carry secrets.
     */
    private static int reportFailure(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        LOG.debug("command failed", failure);
        command.getErr().println("error: " + failure.getMessage());
        return failure instanceof ConfigException ? CONFIG_ERROR : 1;
    }

    @Override
    public void run() {
        // No subcommand given: print usage, which is what a user needs to see.
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"acs-lifecycle " + (version == null ? "dev" : version)};
        }
    }
}
