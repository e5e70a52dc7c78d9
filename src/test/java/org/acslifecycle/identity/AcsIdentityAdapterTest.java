package org.acslifecycle.identity;

import java.time.Instant;
import org.acslifecycle.core.port.AccessTokens.IdentityWithToken;
import org.acslifecycle.core.port.AccessTokens.IssuedToken;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.IdentityDirectory.Completion;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.Operation;
import org.acslifecycle.emulators.acs.TokenStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter's operations through the real SDK against the emulator. */
class AcsIdentityAdapterTest {

    private static AcsIdentityEmulator acs;
    private static AcsIdentityAdapter adapter;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs, EmulatedAcs.attempts(3)));
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
    void createIdentityReturnsTheNewAcsUserId() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));

        assertThat(id).startsWith("8:acs:" + acs.config().resourceId());
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(1);
    }

    @Test
    void theSameCreateRequestSentTwiceGetsTheSameIdentity() {
        CreateRequest request = CreateRequest.first(Instant.now());

        String first = adapter.createIdentity(request);
        String again = adapter.createIdentity(request);

        assertThat(again).isEqualTo(first);
        assertThat(acs.identities()).extracting(v -> v.id()).containsExactly(first);
        assertThat(adapter.createIdentity(CreateRequest.first(Instant.now()))).as("a new request, a new identity")
                .isNotEqualTo(first);
    }

    @Test
    void theSameCreateWithTokenRequestSentTwiceGetsTheSameIdentity() {
        CreateRequest request = CreateRequest.first(Instant.now());

        IdentityWithToken first = adapter.createIdentityWithToken(request, TokenRequest.of(List.of("chat")));
        IdentityWithToken again = adapter.createIdentityWithToken(request, TokenRequest.of(List.of("chat")));

        assertThat(again.acsUserId()).isEqualTo(first.acsUserId());
        assertThat(acs.identities()).hasSize(1);
    }

    @Test
    void aCreateFirstSentLongerAgoThanAcsTracksIsRefusedForGood() {
        CreateRequest stale = new CreateRequest(java.util.UUID.randomUUID(), Instant.now().minus(Duration.ofDays(2)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> adapter.createIdentity(stale))
                .isInstanceOfSatisfying(org.acslifecycle.core.port.DirectoryFailure.Permanent.class,
                        f -> assertThat(f.status()).isEqualTo(412));
        assertThat(acs.identities()).isEmpty();
    }

    @Test
    void revokingTokensOfAnExistingIdentityIsDoneAndRevokesThem() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));
        IssuedToken token = adapter.issueToken(id, TokenRequest.of(List.of("chat")));

        assertThat(adapter.revokeTokens(id)).isEqualTo(Completion.DONE);
        assertThat(acs.inspectToken(token.token()).status()).isEqualTo(TokenStatus.REVOKED);
    }

    @Test
    void deletingAnExistingIdentityIsDone() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));

        assertThat(adapter.deleteIdentity(id)).isEqualTo(Completion.DONE);
        assertThat(acs.identities()).singleElement().satisfies(i -> assertThat(i.deletedAt()).isNotNull());
    }

    @Test
    void revokingTokensOfAnIdentityAcsDoesNotKnowIsAlreadyDone() {
        String unknown = "8:acs:" + acs.config().resourceId() + "_00000028-0000-0000-0000-003a0d000000";

        assertThat(adapter.revokeTokens(unknown)).isEqualTo(Completion.ALREADY_DONE);
        assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS, 404)).isEqualTo(1);
    }

    @Test
    void deletingAnIdentityAcsAnswers404ForIsAlreadyDone() {
        String neverCreated = "8:acs:" + acs.config().resourceId() + "_00000028-0000-0000-0000-003a0d000001";

        assertThat(adapter.deleteIdentity(neverCreated)).isEqualTo(Completion.ALREADY_DONE);
        assertThat(acs.callCounts().count(Operation.DELETE_IDENTITY, 404)).isEqualTo(1);
    }

    @Test
    void issueTokenHonoursScopesAndLifetime() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));

        IssuedToken token = adapter.issueToken(id, new TokenRequest(List.of("chat", "voip"), Duration.ofMinutes(90)));

        assertThat(token.expiresOn()).isBetween(OffsetDateTime.now().plusMinutes(89).toInstant(),
                OffsetDateTime.now().plusMinutes(91).toInstant());
        assertThat(acs.inspectToken(token.token()).scopes()).containsExactly("chat", "voip");
        assertThat(token.toString()).doesNotContain(token.token());
    }

    @Test
    void createIdentityWithTokenMakesBothInOneCall() {
        IdentityWithToken created = adapter.createIdentityWithToken(CreateRequest.first(Instant.now()), TokenRequest.of(List.of("voip")));

        assertThat(acs.inspectToken(created.token().token()).identityId()).isEqualTo(created.acsUserId());
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY_WITH_TOKEN)).isEqualTo(1);
        assertThat(created.toString()).contains(created.acsUserId()).doesNotContain(created.token().token());
    }
}
