package org.acslifecycle.app.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.acslifecycle.core.TokenIssuance.Caller;

/**
 * Validates a caller's Microsoft Entra ID access token with nimbus-jose-jwt: RS256 signature by a key of the
 * issuer's JWKS (cached; an unknown {@code kid} triggers a rate-limited refetch, which is how Entra's key
 * rollover reaches us), then issuer, audience, expiry and not-before with a small skew.
 *
 * <p>Only signed tokens are parsed at all: an {@code alg: none} token fails at parsing, and the key selector
 * accepts RS256 only, so an HMAC token "signed" with a public key cannot pass either.
 */
final class CallerAuthenticator {

    /** Why a bearer token was not accepted; the message is safe to show (it never holds the token). */
    static final class Unauthenticated extends Exception {
        Unauthenticated(String message) {
            super(message, null, false, false);
        }
    }

    /** The issuer's keys could not be fetched: nothing can be validated now (503, not the caller's fault). */
    static final class KeysUnavailable extends Exception {
        KeysUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** Longest caller id kept for the audit trail (the actor column holds 256). */
    private static final int CALLER_ID_MAX = 200;

    private final AuthSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;

    CallerAuthenticator(AuthSettings settings, Clock clock) {
        this.settings = settings;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(2_000, 2_000, 256 * 1024))
                    .cache(settings.jwksCacheTtl().toMillis(), 5_000)
                    // Refresh-ahead runs its own threads; a refetch on an unknown kid is all Entra's rollover needs.
                    .refreshAheadCache(false)
                    .rateLimited(settings.jwksMinRefresh().toMillis())
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL: " + settings.jwksUrl(), e);
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(settings.audiences(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("iss", "aud", "exp"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The caller behind an {@code Authorization} header value. */
    Caller authenticate(Optional<String> authorization) throws Unauthenticated, KeysUnavailable {
        String header = authorization.orElseThrow(() -> new Unauthenticated("no Authorization header"));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw new Unauthenticated("the Authorization header is not a Bearer token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(SignedJWT.parse(header.substring(7).trim()), null);
        } catch (ParseException e) {
            throw new Unauthenticated("the bearer token is not a signed JWT");
        } catch (BadJOSEException e) {
            // nimbus's messages name the failed check (signature, issuer, audience, expired), never the token.
            throw new Unauthenticated("the bearer token was rejected: " + e.getMessage());
        } catch (RateLimitReachedException e) {
            // An unknown kid asked for a refetch too soon after the last one: the key is unknown.
            throw new Unauthenticated("the bearer token was rejected: it is signed with a key the issuer does not publish");
        } catch (JOSEException e) {
            throw new KeysUnavailable("the issuer's keys could not be fetched");
        }
        List<String> roles = stringList(claims, "roles");
        Optional<String> self = stringClaim(claims, settings.userClaim());
        boolean mayAskForAnyone = roles.contains(settings.anyUserRole());
        if (self.isEmpty() && !mayAskForAnyone) {
            throw new Unauthenticated("the bearer token has no '" + settings.userClaim() + "' claim naming the caller");
        }
        return new Caller(callerId(claims), self, mayAskForAnyone);
    }

    /** Who called, for the audit: the user or service principal ({@code oid}, else {@code sub}) and the app. */
    private static String callerId(JWTClaimsSet claims) {
        String principal = stringClaim(claims, "oid").or(() -> Optional.ofNullable(claims.getSubject())).orElse("?");
        Optional<String> app = stringClaim(claims, "azp").or(() -> stringClaim(claims, "appid"));
        String id = "entra:" + principal + app.map(a -> " app:" + a).orElse("");
        return id.length() <= CALLER_ID_MAX ? id : id.substring(0, CALLER_ID_MAX);
    }

    private static Optional<String> stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    private static List<String> stringList(JWTClaimsSet claims, String name) {
        try {
            List<String> list = claims.getStringListClaim(name);
            return list == null ? List.of() : list;
        } catch (ParseException e) {
            return List.of();
        }
    }
}
