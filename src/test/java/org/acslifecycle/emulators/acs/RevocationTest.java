package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.core.exception.HttpResponseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens minted by the emulator and what revoke and delete do to them, seen through the inspection API. */
class RevocationTest {

    private static final List<CommunicationTokenScope> CHAT = List.of(CommunicationTokenScope.CHAT);

    private static AcsIdentityEmulator acs;
    private static CommunicationIdentityClient client;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        client = SdkClients.forEmulator(acs);
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
    void aTokenIssuedBeforeARevokeIsInvalidAndOneIssuedAfterItIsValid() {
        CommunicationUserIdentifier user = client.createUser();
        String before = client.getToken(user, CHAT).getToken();

        client.revokeTokens(user);
        String after = client.getToken(user, CHAT).getToken();

        assertThat(acs.inspectToken(before).status()).isEqualTo(TokenStatus.REVOKED);
        assertThat(acs.inspectToken(after).status()).isEqualTo(TokenStatus.VALID);
    }

    @Test
    void deletingAnIdentityInvalidatesItsTokens() {
        CommunicationUserIdentifier user = client.createUser();
        String token = client.getToken(user, CHAT).getToken();

        client.deleteUser(user);

        assertThat(acs.inspectToken(token).status()).isEqualTo(TokenStatus.IDENTITY_DELETED);
    }

    @Test
    void aTokenFromAnotherEmulatorOrAlteredFailsItsSignature() {
        CommunicationUserIdentifier user = client.createUser();
        String token = client.getToken(user, CHAT).getToken();
        String[] parts = token.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"chat\"", "\"voip\"").getBytes());

        assertThat(acs.inspectToken(parts[0] + "." + otherPayload + "." + parts[2]).status())
                .isEqualTo(TokenStatus.BAD_SIGNATURE);
        assertThat(acs.inspectToken("not-a-jwt").status()).isEqualTo(TokenStatus.MALFORMED);
    }

    @Test
    void tokensCarryRealisticClaimsAndAreMarkedAsEmulatorTokens() throws Exception {
        CommunicationUserIdentifier user = client.createUser();
        String token = client.getToken(user, List.of(CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP))
                .getToken();

        String[] parts = token.split("\\.");
        var header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        var claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));

        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).startsWith("EMULATOR-");
        assertThat(claims.path("skypeid").asText()).isEqualTo(user.getId().substring(2));
        assertThat(claims.path("acsScope").asText()).isEqualTo("chat,voip");
        assertThat(claims.path("resourceId").asText()).isEqualTo(acs.config().resourceId().toString());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(86_400);
        assertThat(claims.path("emulator").asText()).isEqualTo("acs-identity-emulator");
    }

    @Test
    void theTokenListShowsStatusButNeverTheTokenItself() {
        CommunicationUserIdentifier user = client.createUser();
        String token = client.getToken(user, CHAT).getToken();
        client.revokeTokens(user);

        HttpResponse<String> listed = new HandSigner(acs).admin("GET", "/emulator/tokens", "");

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("REVOKED").doesNotContain(token.split("\\.")[2]);
        assertThat(acs.tokens()).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(TokenStatus.REVOKED));
    }

    @Test
    void inspectionOverHttpReportsARevokedToken() {
        CommunicationUserIdentifier user = client.createUser();
        String token = client.getToken(user, CHAT).getToken();
        client.revokeTokens(user);

        HttpResponse<String> verdict = new HandSigner(acs).admin("POST", "/emulator/tokens/inspect",
                "{\"token\":\"" + token + "\"}");

        assertThat(verdict.statusCode()).isEqualTo(200);
        assertThat(verdict.body()).contains("\"status\":\"REVOKED\"").contains(user.getId());
    }

    @Test
    void aTokenIsExpiredOnceItsLifetimeHasPassed() {
        MutableClock clock = new MutableClock();
        try (AcsIdentityEmulator timed = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults().withClock(clock))) {
            CommunicationIdentityClient timedClient = SdkClients.forEmulator(timed);
            CommunicationUserIdentifier user = timedClient.createUser();
            String token = timedClient.getToken(user, CHAT, java.time.Duration.ofMinutes(60)).getToken();

            clock.advance(java.time.Duration.ofMinutes(59));
            assertThat(timed.inspectToken(token).status()).isEqualTo(TokenStatus.VALID);
            clock.advance(java.time.Duration.ofMinutes(1));
            assertThat(timed.inspectToken(token).status()).isEqualTo(TokenStatus.EXPIRED);
        }
    }

    @Test
    void aRepeatedDeleteIsNoContentByDefault() {
        CommunicationUserIdentifier user = client.createUser();
        client.deleteUser(user);

        client.deleteUser(user);

        assertThat(acs.callCounts().count(Operation.DELETE_IDENTITY, 204)).isEqualTo(2);
    }

    @Test
    void revokeForANeverCreatedIdentityOfThisResourceIs404() {
        CommunicationUserIdentifier unknown = new CommunicationUserIdentifier(
                "8:acs:" + acs.config().resourceId() + "_00000028-0000-0000-0000-003a0d000000");

        assertThatThrownBy(() -> client.revokeTokens(unknown))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(404));
    }

    @Test
    void theUnknownCasesAreConfigurable() {
        try (AcsIdentityEmulator strict = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults()
                .withUnknownIdentityBehaviour(new AcsEmulatorConfig.UnknownIdentityBehaviour(404, 404, 204)))) {
            CommunicationIdentityClient strictClient = SdkClients.forEmulator(strict);
            CommunicationUserIdentifier user = strictClient.createUser();
            strictClient.deleteUser(user);

            strictClient.revokeTokens(user);
            assertThatThrownBy(() -> strictClient.deleteUser(user))
                    .isInstanceOf(HttpResponseException.class)
                    .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode())
                            .isEqualTo(404));
            assertThat(strict.callCounts().byOperationAndStatus())
                    .containsEntry(Operation.DELETE_IDENTITY, Map.of(204, 1L, 404, 1L));
        }
    }
}
