package org.acslifecycle.app.tokens;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How callers of the token service are authenticated: Microsoft Entra ID access tokens (JWT, RS256), checked
 * against the issuer's published keys. There is no anonymous mode; {@code local} runs this same path against a
 * development issuer.
 *
 * @param issuer         the exact {@code iss}, e.g. {@code https://login.microsoftonline.com/<tenant>/v2.0}
 * @param audiences      accepted {@code aud} values: the API's client id and/or App ID URI
 * @param jwksUrl        the issuer's keys, e.g. {@code https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys}
 * @param userClaim      the claim that carries the caller's HR external id
 * @param anyUserRole    the app role (in {@code roles}) that lets a caller ask for any person
 * @param clockSkew      tolerated skew on {@code exp} and {@code nbf}
 * @param jwksCacheTtl   how long fetched keys are trusted before they are fetched again
 * @param jwksMinRefresh the shortest time between two fetches (an unknown {@code kid} asks for one), so a
 *                       flood of made-up key ids cannot turn this service into a load on the issuer
 */
public record AuthSettings(String issuer, Set<String> audiences, URI jwksUrl, String userClaim, String anyUserRole,
        Duration clockSkew, Duration jwksCacheTtl, Duration jwksMinRefresh) {

    public AuthSettings {
        Objects.requireNonNull(issuer, "issuer");
        audiences = Set.copyOf(audiences);
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience is required");
        }
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(userClaim, "userClaim");
        Objects.requireNonNull(anyUserRole, "anyUserRole");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
        Objects.requireNonNull(jwksMinRefresh, "jwksMinRefresh");
        if (clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("a clock skew over 5 minutes is no longer small, was " + clockSkew);
        }
    }
}
