package org.acslifecycle.app.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The tests' own token issuer, shaped like Microsoft Entra ID: an RSA key pair, its JWKS served over a real
 * socket on 127.0.0.1 (port 0), and v2-style access tokens. Independent of the product's development issuer,
 * so the validation path is tested against keys the product never made.
 */
final class TestIssuer implements AutoCloseable {

    static final String ISSUER = "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000cafe/v2.0";
    static final String AUDIENCE = "api://acs-lifecycle-tokens-test";
    static final String USER_CLAIM = "employeeid";
    static final String ANY_USER_ROLE = "Tokens.IssueForAnyone";

    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    final RSAKey key;

    TestIssuer() throws IOException {
        key = newKey();
        published.add(key.toPublicJWK());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published)).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/keys");
    }

    AuthSettings settings() {
        return new AuthSettings(ISSUER, java.util.Set.of(AUDIENCE), jwksUrl(), USER_CLAIM, ANY_USER_ROLE,
                Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMillis(50));
    }

    /** Adds a key to the published JWKS, as Entra does before it signs with a new key. */
    void publish(RSAKey newKey) {
        published.add(newKey.toPublicJWK());
    }

    int fetches() {
        return fetches.get();
    }

    /** A valid access token for the user whose HR external id is {@code externalId}. */
    String tokenFor(String externalId) {
        return token(claims -> claims.claim(USER_CLAIM, externalId));
    }

    /** A valid token, changed by {@code change}, signed with the published key. */
    String token(UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(key, key.getKeyID(), change.apply(validClaims()).build());
    }

    static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE)
                .subject("sub-" + UUID.randomUUID()).claim("oid", UUID.randomUUID().toString()).claim("azp", "test-client")
                .issueTime(Date.from(now.minusSeconds(5))).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))).claim("ver", "2.0");
    }

    static String sign(RSAKey signingKey, String kid, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
