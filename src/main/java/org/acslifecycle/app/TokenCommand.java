package org.acslifecycle.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code token issue|revoke}: the quickstart's token operations, through the ledger. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Issue or revoke a person's ACS access tokens by hand, audited in the ledger.",
        subcommands = {TokenCommand.Issue.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue an access token and print it. Refused unless the person is ACTIVE: revoking tokens "
                    + "does not stop new ones, so refusing to issue is the control for SUSPENDED and DELETED people.")
    static final class Issue implements Callable<Integer> {
        @Mixin OperatorOptions operator;
        @Mixin TokenOptions token;

        @Override
        public Integer call() {
            var request = token.request();
            return operator.run(service -> service.issueToken(operator.request(), request));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke every access token of a person's identity; the identity and state stay.")
    static final class Revoke implements Callable<Integer> {
        @Mixin OperatorOptions operator;

        @Override
        public Integer call() {
            return operator.run(service -> service.revokeTokens(operator.request()));
        }
    }
}
