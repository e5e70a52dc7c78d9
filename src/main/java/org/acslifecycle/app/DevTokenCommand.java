package org.acslifecycle.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.tokens.DevIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dev-token}: a caller token from the development issuer of a running {@code local}, for trying the token
 * service by hand. It reads the key file {@code local} wrote, so it works beside the running worker; it is no use
 * against anything else, because nothing else trusts that throw-away key.
 */
@Command(name = "dev-token", mixinStandardHelpOptions = true,
        description = "Print a caller access token (JWT) from the development issuer of a running 'local'.")
final class DevTokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--subject", paramLabel = "EXTERNAL_ID", required = true,
            description = "The caller's HR external id (put in the configured user claim and in sub).")
    String subject;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "An app role for the token's roles claim, repeatable (e.g. the tokens.auth.any-user-role).")
    List<String> roles = List.of();

    @Option(names = "--minutes", paramLabel = "MINUTES", defaultValue = "60",
            description = "How long the caller token is valid (default: 60).")
    int minutes;

    @Override
    public Integer call() throws Exception {
        Config config = configOptions.config();
        Path keyFile = Path.of(config.string("tokens.dev-issuer.key-file"));
        if (!Files.isRegularFile(keyFile)) {
            throw config.bad("tokens.dev-issuer.key-file", "names no file: " + keyFile.toAbsolutePath()
                    + " (start 'local' first, from the same directory)");
        }
        if (minutes < 1 || minutes > 1440) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--minutes must be 1 to 1440");
        }
        DevIssuer.Minter issuer = DevIssuer.Minter.fromKeyFile(keyFile, Wiring.CLOCK);
        spec.commandLine().getOut().println(issuer.mint(subject, roles, Duration.ofMinutes(minutes)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
