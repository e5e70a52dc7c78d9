package org.acslifecycle.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar target/acs-lifecycle.jar <command>}. Subcommands are wired here only. */
@Command(
        name = "acs-lifecycle",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Keeps Azure Communication Services identities in step with HR/IAM lifecycle events.",
        subcommands = {EmulatorsCommand.class, LedgerCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
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
