package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.communication.common.CommunicationTokenCredential;
import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.communication.identity.models.CommunicationUserIdentifierAndToken;
import com.azure.core.credential.AccessToken;
import com.azure.core.exception.HttpResponseException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real azure-communication-identity 1.4.10 client, unchanged, over HTTPS against the emulator. */
class SdkConformanceTest {

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
    void createUserReturnsAnAcsIdOfThisResource() {
        CommunicationUserIdentifier user = client.createUser();

        assertThat(user.getId()).startsWith("8:acs:" + acs.config().resourceId() + "_");
        assertThat(acs.identities()).extracting(IdentityView::id).containsExactly(user.getId());
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 201)).isEqualTo(1);
    }

    @Test
    void createUserAndTokenReturnsATokenWithTheRequestedLifetime() {
        OffsetDateTime before = OffsetDateTime.now();

        CommunicationUserIdentifierAndToken result = client.createUserAndToken(
                List.of(CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP), Duration.ofMinutes(60));

        assertThat(result.getUser().getId()).startsWith("8:acs:");
        assertThat(result.getUserToken().getExpiresAt())
                .isBetween(before.plusMinutes(59), OffsetDateTime.now().plusMinutes(61));
        assertThat(acs.inspectToken(result.getUserToken().getToken()).scopes()).containsExactly("chat", "voip");
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY_WITH_TOKEN, 201)).isEqualTo(1);
    }

    @Test
    void issuedTokenDefaultsToTwentyFourHoursAndParsesAsACommunicationTokenCredential() throws Exception {
        CommunicationUserIdentifier user = client.createUser();

        AccessToken token = client.getToken(user, List.of(CommunicationTokenScope.VOIP));

        assertThat(token.getExpiresAt()).isBetween(OffsetDateTime.now().plusHours(23).plusMinutes(59),
                OffsetDateTime.now().plusHours(24).plusMinutes(1));
        // The SDK's own token parser (standard base64 + "exp" regex) must accept what the emulator mints.
        try (CommunicationTokenCredential credential = new CommunicationTokenCredential(token.getToken())) {
            assertThat(credential.getToken().block().getExpiresAt().toEpochSecond())
                    .isEqualTo(token.getExpiresAt().toEpochSecond());
        }
    }

    @Test
    void revokeThenDeleteAnswerNoContentAndTheSdkAcceptsIt() {
        CommunicationUserIdentifier user = client.createUser();

        client.revokeTokens(user);
        client.deleteUser(user);

        assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS, 204)).isEqualTo(1);
        assertThat(acs.callCounts().count(Operation.DELETE_IDENTITY, 204)).isEqualTo(1);
        assertThat(acs.identities()).singleElement().satisfies(i -> assertThat(i.deletedAt()).isNotNull());
    }

    @Test
    void tokenForADeletedIdentityIsRefusedWith404IdentityNotFound() {
        CommunicationUserIdentifier user = client.createUser();
        client.deleteUser(user);

        assertThatThrownBy(() -> client.getToken(user, List.of(CommunicationTokenScope.CHAT)))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(404))
                .hasMessageContaining("IdentityNotFound");
    }

    @Test
    void expiryOutsideSixtyToFourteenFortyMinutesIsAValidationError() {
        CommunicationUserIdentifier user = client.createUser();

        assertThatThrownBy(() -> client.getToken(user, List.of(CommunicationTokenScope.CHAT), Duration.ofMinutes(59)))
                .isInstanceOf(HttpResponseException.class)
                .hasMessageContaining("ExpiresInMinutes value 59 is invalid. Value must be within the [60, 1440]"
                        + " interval.");
        assertThatThrownBy(() -> client.createUserAndToken(List.of(CommunicationTokenScope.CHAT),
                Duration.ofMinutes(1441)))
                .isInstanceOf(HttpResponseException.class)
                .hasMessageContaining("ExpiresInMinutes value 1441 is invalid.");
    }

    @Test
    void joinScopesAreUnknownToApiVersion20221001() {
        CommunicationUserIdentifier user = client.createUser();

        assertThatThrownBy(() -> client.getToken(user, List.of(CommunicationTokenScope.fromString("chat.join"))))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(400))
                .hasMessageContaining("ValidationError");
    }

    @Test
    void identityOfAnotherResourceIsRefusedWith401IdentityNotOwned() {
        CommunicationUserIdentifier foreign = new CommunicationUserIdentifier(
                "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000");

        assertThatThrownBy(() -> client.revokeTokens(foreign))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(401))
                .hasMessageContaining("Provided identity doesn't belong to the resource.");
    }

    @Test
    void aClientWithAnotherKeyIsDenied() {
        String wrongKey = "endpoint=" + acs.endpoint() + ";accesskey="
                + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        CommunicationIdentityClient intruder = SdkClients.forEmulator(acs, wrongKey);

        assertThatThrownBy(intruder::createUser)
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(401))
                .hasMessageContaining("Denied");
        assertThat(acs.identities()).isEmpty();
    }
}
