package org.acslifecycle.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code identity create|create-with-token|delete}: the quickstart's identity operations, through the ledger. */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = "Create or delete a person's ACS identity by hand, recorded and audited in the ledger.",
        subcommands = {IdentityCommand.Create.class, IdentityCommand.CreateWithToken.class, IdentityCommand.Delete.class})
final class IdentityCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an ACS identity for a person with none (refused for SUSPENDED and DELETED people).")
    static final class Create implements Callable<Integer> {
        @Mixin OperatorOptions operator;

        @Override
        public Integer call() {
            return operator.run(service -> service.createIdentity(operator.request()));
        }
    }

    @Command(name = "create-with-token", mixinStandardHelpOptions = true,
            description = "Create an ACS identity and its first access token in one call; prints the token.")
    static final class CreateWithToken implements Callable<Integer> {
        @Mixin OperatorOptions operator;
        @Mixin TokenOptions token;

        @Override
        public Integer call() {
            var request = token.request();
            return operator.run(service -> service.createIdentityWithToken(operator.request(), request));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a person's ACS identity (revoking its tokens); the ledger keeps a DELETED tombstone.")
    static final class Delete implements Callable<Integer> {
        @Mixin OperatorOptions operator;

        @Override
        public Integer call() {
            return operator.run(service -> service.deleteIdentity(operator.request()));
        }
    }
}
