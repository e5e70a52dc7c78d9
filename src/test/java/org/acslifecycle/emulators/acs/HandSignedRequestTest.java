package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator verifies the published HMAC scheme, not one SDK's habits: requests signed by hand, no Azure SDK. */
class HandSignedRequestTest {

    private static final String CREATE = "/identities?api-version=2022-10-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AcsIdentityEmulator acs;
    private static HandSigner signer;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        signer = new HandSigner(acs);
    }

    @AfterAll
    static void stop() {
        acs.close();
    }

    @BeforeEach
    void freshService() {
        acs.reset();
    }

    @Test
    void handSignedCreateIsAcceptedWith201AndTheServiceHeaders() throws Exception {
        HttpResponse<String> response = signer.signedSend("POST", CREATE, "{}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).path("identity").path("id").asText()).startsWith("8:acs:");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.headers().firstValue("api-supported-versions").orElse("")).contains("2022-10-01");
    }

    @Test
    void signatureOverTheHostWithoutPortIsAcceptedLikeTheJavaSdkSendsIt() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = signer.send("POST", CREATE, body,
                signer.sign("POST", CREATE, body, Instant.now(), "127.0.0.1"));

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void theSameRequestWithItsDateHeaderChangedIsRejected() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        Map<String, String> headers = new LinkedHashMap<>(signer.sign("POST", CREATE, body, now, signer.wireHost()));
        assertThat(signer.send("POST", CREATE, body, headers).statusCode()).isEqualTo(201);

        headers.put("x-ms-date", HandSigner.HMAC_DATE.format(now.plusSeconds(1)));
        HttpResponse<String> response = signer.send("POST", CREATE, body, headers);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("code").asText()).isEqualTo("Denied");
        assertThat(acs.identities()).hasSize(1);
    }

    @Test
    void aTamperedBodyIsRejectedForItsContentHash() throws Exception {
        byte[] signedBody = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signer.sign("POST", CREATE, signedBody, Instant.now(), signer.wireHost());

        HttpResponse<String> response = signer.send("POST", CREATE,
                "{\"createTokenWithScopes\":[\"chat\"]}".getBytes(StandardCharsets.UTF_8), headers);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(error(response).path("message").asText())
                .isEqualTo("Request 'x-ms-content-sha256' differs from generated content hash.");
    }

    @Test
    void aSignatureForAnotherPathIsRejected() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signer.sign("POST", CREATE, body, Instant.now(), signer.wireHost());

        HttpResponse<String> response = signer.send("POST", "/identities?api-version=2023-10-01", body, headers);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void aCorrectlySignedButStaleRequestIsRejected() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = signer.send("POST", CREATE, body,
                signer.sign("POST", CREATE, body, Instant.now().minus(Duration.ofMinutes(16)), signer.wireHost()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(acs.identities()).isEmpty();
    }

    @Test
    void bearerTokensAreRejectedOutsideThePermissiveMode() {
        HttpResponse<String> response = signer.send("POST", CREATE, "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer some-entra-token"));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void bearerTokensAreAcceptedInThePermissiveMode() {
        try (AcsIdentityEmulator permissive = AcsIdentityEmulator.start(
                AcsEmulatorConfig.defaults().withBearerMode(AcsEmulatorConfig.BearerMode.ACCEPT_ANY))) {
            HttpResponse<String> response = new HandSigner(permissive).send("POST", CREATE,
                    "{}".getBytes(StandardCharsets.UTF_8), Map.of("Authorization", "Bearer some-entra-token"));

            assertThat(response.statusCode()).isEqualTo(201);
        }
    }

    @Test
    void anEmptyCreateBodyIsAcceptedLikePythonAndJavaScriptSendIt() {
        assertThat(signer.signedSend("POST", CREATE, "").statusCode()).isEqualTo(201);
    }

    @Test
    void anUnsupportedApiVersionIsRefusedWith400UnsupportedApiVersion() throws Exception {
        HttpResponse<String> response = signer.signedSend("POST", "/identities?api-version=2020-01-01", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("UnsupportedApiVersion");
        assertThat(error(response).path("message").asText()).contains("does not support the API version '2020-01-01'");
    }

    @Test
    void aMissingApiVersionIsRefusedWith400() throws Exception {
        HttpResponse<String> response = signer.signedSend("POST", "/identities", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("code").asText()).isEqualTo("ApiVersionUnspecified");
    }

    @Test
    void issueWithoutScopesAnswersTheServiceValidationMessages() throws Exception {
        String id = createIdentity();
        String issue = "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01";

        HttpResponse<String> nullScopes = signer.signedSend("POST", issue, "{\"scopes\":null}");
        HttpResponse<String> emptyScopes = signer.signedSend("POST", issue, "{\"scopes\":[]}");

        assertThat(nullScopes.statusCode()).isEqualTo(400);
        assertThat(error(nullScopes).path("message").asText()).isEqualTo("Scopes: The Scopes field is required.");
        assertThat(error(nullScopes).path("target").asText()).isEqualTo("Scopes");
        assertThat(emptyScopes.statusCode()).isEqualTo(400);
        assertThat(error(emptyScopes).path("message").asText()).isEqualTo("Invalid scopes - Scopes field is required.");
    }

    @Test
    void anUnknownOrNullScopeIsAValidationErrorNotAServerError() throws Exception {
        String id = createIdentity();
        String issue = "/identities/" + id + "/:issueAccessToken?api-version=2022-10-01";

        HttpResponse<String> unknown = signer.signedSend("POST", issue, "{\"scopes\":[\"email\"]}");
        HttpResponse<String> nullScope = signer.signedSend("POST", CREATE, "{\"createTokenWithScopes\":[null]}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(error(unknown).path("code").asText()).isEqualTo("ValidationError");
        assertThat(nullScope.statusCode()).isEqualTo(400);
    }

    @Test
    void joinScopesAreAcceptedFromApiVersion20231001() throws Exception {
        String id = createIdentity();

        HttpResponse<String> response = signer.signedSend("POST",
                "/identities/" + id + "/:issueAccessToken?api-version=2023-10-01", "{\"scopes\":[\"chat.join\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("expiresOn").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}\\+00:00");
    }

    @Test
    void apiVersion20210307IgnoresExpiresInMinutesAsItsModelHasNone() throws Exception {
        String id = createIdentity();

        HttpResponse<String> response = signer.signedSend("POST",
                "/identities/" + id + "/:issueAccessToken?api-version=2021-03-07",
                "{\"scopes\":[\"chat\"],\"expiresInMinutes\":5}");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static String createIdentity() throws Exception {
        return JSON.readTree(signer.signedSend("POST", CREATE, "{}").body()).path("identity").path("id").asText();
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error");
    }
}
