package org.acslifecycle.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token endpoint's answers (Entra's error shapes) and the verifier's checks, over real HTTPS. */
class EntraEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private EntraEmulator entra;
    private HttpClient http;
    private EntraTokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        entra = EntraEmulator.start(EntraEmulatorConfig.of("tenant-a", "app-1", "secret-1"));
        http = HttpClient.newBuilder().sslContext(trusting(entra)).build();
        verifier = new EntraTokenVerifier(entra.trustedIssuer(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        entra.close();
    }

    @Test
    void theAudienceIsTheScopesResourceWithoutTrailingSlashes() {
        assertThat(EntraEmulator.audience("https://communication.azure.com//.default"))
                .isEqualTo("https://communication.azure.com");
        assertThat(EntraEmulator.audience("openid profile offline_access https://servicebus.azure.net/.default"))
                .isEqualTo("https://servicebus.azure.net");
        assertThat(EntraEmulator.audience("https://a/.default https://b/.default")).isNull();
        assertThat(EntraEmulator.audience("User.Read")).isNull();
    }

    @Test
    void aClientCredentialsGrantGetsATokenTheVerifierAccepts() throws Exception {
        HttpResponse<String> response = token(Map.of("grant_type", "client_credentials", "client_id", "app-1",
                "client_secret", "secret-1", "scope", "https://servicebus.azure.net/.default"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        String token = body.get("access_token").asText();
        assertThat(verifier.rejectionReason(token, "https://servicebus.azure.net")).isNull();
        assertThat(verifier.rejectionReason(token, "https://communication.azure.com")).contains("audience");
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(entra.issuer());
        assertThat(claims.getStringClaim("appid")).isEqualTo("app-1");
        assertThat(claims.getStringClaim("tid")).isEqualTo("tenant-a");
    }

    @Test
    void aWrongSecretIsInvalidClient401() throws Exception {
        HttpResponse<String> response = token(Map.of("grant_type", "client_credentials", "client_id", "app-1",
                "client_secret", "nope", "scope", "https://servicebus.azure.net/.default"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(response.body()).contains("AADSTS7000215").doesNotContain("secret-1").doesNotContain("nope");
    }

    @Test
    void anUnknownClientAnUnknownTenantAndAScopeWithoutDefaultAre400() throws Exception {
        assertThat(token(Map.of("grant_type", "client_credentials", "client_id", "app-2", "client_secret", "x",
                "scope", "https://servicebus.azure.net/.default")).body()).contains("unauthorized_client");
        assertThat(post("/tenant-b/oauth2/v2.0/token", Map.of("grant_type", "client_credentials")).body())
                .contains("AADSTS90002");
        HttpResponse<String> badScope = token(Map.of("grant_type", "client_credentials", "client_id", "app-1",
                "client_secret", "secret-1", "scope", "https://servicebus.azure.net"));
        assertThat(badScope.statusCode()).isEqualTo(400);
        assertThat(badScope.body()).contains("invalid_scope");
    }

    @Test
    void theOpenIdConfigurationNamesTheTokenEndpointAndTheJwks() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(entra.authorityHost()
                + "tenant-a/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("issuer").asText()).isEqualTo(entra.issuer());
        assertThat(body.get("token_endpoint").asText()).endsWith("/tenant-a/oauth2/v2.0/token");
        assertThat(body.get("jwks_uri").asText()).isEqualTo(entra.jwksUri().toString());
    }

    @Test
    void theVerifierRefusesExpiredNotYetValidAndHmacSignedTokens() throws Exception {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        Clock earlier = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5));
        String token = entra.mint("app-1", "https://communication.azure.com", Duration.ofHours(1));

        assertThat(new EntraTokenVerifier(entra.trustedIssuer(), later)
                .rejectionReason(token, "https://communication.azure.com")).contains("expired");
        assertThat(new EntraTokenVerifier(entra.trustedIssuer(), earlier)
                .rejectionReason(token, "https://communication.azure.com")).contains("not valid yet");
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer(entra.issuer()).audience("https://communication.azure.com")
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        hs256.sign(new MACSigner(new byte[32]));
        assertThat(verifier.rejectionReason(hs256.serialize(), "https://communication.azure.com")).contains("RS256");
        assertThat(verifier.rejectionReason("not-a-jwt", "https://communication.azure.com")).contains("not a signed");
    }

    @Test
    void whenTheIssuersKeysCannotBeFetchedNoTokenIsAccepted() {
        String token = entra.mint("app-1", "https://communication.azure.com", Duration.ofHours(1));
        TrustedIssuer unreachable = new TrustedIssuer(entra.issuer(), URI.create("https://127.0.0.1:1/keys"),
                entra.certificatePem());

        assertThat(new EntraTokenVerifier(unreachable, Clock.systemUTC())
                .rejectionReason(token, "https://communication.azure.com")).contains("cannot be fetched");
    }

    private HttpResponse<String> token(Map<String, String> form) throws Exception {
        return post("/tenant-a/oauth2/v2.0/token", form);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(entra.authorityHost().toString() + path.substring(1)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(EntraEmulator entra) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(entra.certificatePem())) {
            store.setCertificateEntry("entra", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
