package org.acslifecycle.app;

import java.time.Duration;
import java.util.List;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Scopes and lifetime of a token to issue, as {@code az communication identity token issue} takes them. */
final class TokenOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--scope", paramLabel = "SCOPE", required = true, split = ",",
            description = "Token scope, repeatable or comma-separated: chat, voip, chat.join, voip.join, ...")
    List<String> scopes;

    @Option(names = "--expires-in", paramLabel = "MINUTES",
            description = "Token lifetime in minutes, 60 to 1440 (default: the service's 24 h).")
    Integer expiresInMinutes;

    TokenRequest request() {
        try {
            return new TokenRequest(scopes, expiresInMinutes == null ? null : Duration.ofMinutes(expiresInMinutes));
        } catch (IllegalArgumentException e) {
            // A bad argument prints usage, like any other.
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
