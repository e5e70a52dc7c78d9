package org.acslifecycle.app.tokens;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.acslifecycle.app.config.Config;

/**
 * The token service's listener and caller authentication, from the {@code tokens.*} keys. The service is off
 * unless {@code tokens.port} is set; when it is, every {@code tokens.auth.*} key it needs must be too.
 */
public record TokenServiceSettings(String host, int port, AuthSettings auth) {

    public TokenServiceSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(auth, "auth");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
    }

    /** Empty when {@code tokens.port} is not configured: the service is off. */
    public static Optional<TokenServiceSettings> from(Config config) {
        if (config.optional("tokens.port").isEmpty()) {
            return Optional.empty();
        }
        int port = config.integer("tokens.port", 0, 65535);
        String issuer = config.string("tokens.auth.issuer");
        Set<String> audiences = Arrays.stream(config.string("tokens.auth.audience").split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).collect(Collectors.toUnmodifiableSet());
        if (audiences.isEmpty()) {
            throw config.bad("tokens.auth.audience", "names no audience");
        }
        URI jwks = jwksUrl(config);
        Duration skew = config.duration("tokens.auth.clock-skew");
        if (skew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw config.bad("tokens.auth.clock-skew", "must be at most PT5M (a small skew), was " + skew);
        }
        return Optional.of(new TokenServiceSettings(config.string("tokens.host"), port, new AuthSettings(issuer,
                audiences, jwks, config.string("tokens.auth.user-claim"), config.string("tokens.auth.any-user-role"),
                skew, config.duration("tokens.auth.jwks-cache-ttl"), config.duration("tokens.auth.jwks-min-refresh"))));
    }

    private static URI jwksUrl(Config config) {
        String value = config.string("tokens.auth.jwks-url");
        try {
            URI uri = URI.create(value);
            boolean https = "https".equals(uri.getScheme());
            // Plain HTTP only to this machine: the development issuer of 'local', and tests.
            boolean loopbackHttp = "http".equals(uri.getScheme())
                    && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
            if (uri.getHost() == null || !(https || loopbackHttp)) {
                throw config.bad("tokens.auth.jwks-url", "must be an https:// URL (http:// only on 127.0.0.1), was '" + value + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw config.bad("tokens.auth.jwks-url", "must be an https:// URL, was '" + value + "'");
        }
    }
}
