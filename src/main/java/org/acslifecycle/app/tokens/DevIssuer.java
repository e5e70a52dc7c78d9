package org.acslifecycle.app.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.acslifecycle.app.config.SecretFile;

/**
 * A development stand-in for Microsoft Entra ID, for {@code local} only: its own RSA key pair, its JWKS served on
 * 127.0.0.1, and tokens shaped like Entra's v2 access tokens. The worker validates them on its real path
 * ({@link CallerAuthenticator}); nothing about the development issuer is trusted anywhere else.
 *
 * <p>{@code local} writes the issuer's key to a file (owner-only) so that {@code dev-token}, another process,
 * can mint tokens the running worker accepts. The key is a throw-away made at each start.
 */
public final class DevIssuer implements AutoCloseable {

    /** The API the development tokens are for (an App ID URI, as an Entra app registration has). */
    public static final String AUDIENCE = "api://acs-lifecycle-local";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final Minter minter;

    private DevIssuer(HttpServer server, Minter minter) {
        this.server = server;
        this.minter = minter;
    }

    /** Makes a key pair and serves its JWKS on 127.0.0.1 (any free port). */
    public static DevIssuer start(String userClaim, Clock clock) throws IOException {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the development issuer's key", e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/dev-issuer";
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/dev-issuer/discovery/v2.0/keys", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
        return new DevIssuer(server, new Minter(base + "/v2.0", AUDIENCE, userClaim, key, clock));
    }

    public String issuer() {
        return minter.issuer;
    }

    public String audience() {
        return minter.audience;
    }

    public URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dev-issuer/discovery/v2.0/keys");
    }

    public Minter minter() {
        return minter;
    }

    /** Writes what {@code dev-token} needs (issuer, audience, claim, private key) to {@code file}, owner-only. */
    public void writeKeyFile(Path file) throws IOException {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("issuer", minter.issuer);
        json.put("audience", minter.audience);
        json.put("userClaim", minter.userClaim);
        json.set("key", MAPPER.readTree(minter.key.toJSONString()));
        SecretFile.write(file, MAPPER.writeValueAsBytes(json));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Mints development access tokens; made by {@code local}'s issuer or read back from its key file. */
    public static final class Minter {
        private final String issuer;
        private final String audience;
        private final String userClaim;
        private final RSAKey key;
        private final Clock clock;

        Minter(String issuer, String audience, String userClaim, RSAKey key, Clock clock) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            this.audience = Objects.requireNonNull(audience, "audience");
            this.userClaim = Objects.requireNonNull(userClaim, "userClaim");
            this.key = Objects.requireNonNull(key, "key");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Reads the key file {@code local} wrote. */
        public static Minter fromKeyFile(Path file, Clock clock) throws IOException {
            JsonNode json = MAPPER.readTree(Files.readAllBytes(file));
            try {
                return new Minter(json.path("issuer").asText(), json.path("audience").asText(),
                        json.path("userClaim").asText(), RSAKey.parse(json.path("key").toString()), clock);
            } catch (ParseException | RuntimeException e) {
                throw new IOException("the development issuer's key file " + file + " is not one 'local' wrote");
            }
        }

        /**
         * A token for {@code subject} (put in {@code sub} and in the configured user claim), with app roles
         * {@code roles}, valid for {@code lifetime}.
         */
        public String mint(String subject, List<String> roles, Duration lifetime) {
            Instant now = clock.instant();
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(issuer).audience(audience).subject(subject)
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime)))
                    .claim(userClaim, subject).claim("azp", "dev-token").claim("ver", "2.0");
            if (!roles.isEmpty()) {
                claims.claim("roles", roles);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build(), claims.build());
            try {
                jwt.sign(new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign a development token", e);
            }
            return jwt.serialize();
        }
    }
}
