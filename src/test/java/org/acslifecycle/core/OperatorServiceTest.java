package org.acslifecycle.core;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.List;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorServiceTest {

    @TempDir
    Path directory;

    private JdbcLedger ledger;
    private final FakeDirectory acs = new FakeDirectory();
    private Controller events;
    private OperatorService operators;

    @BeforeEach
    void open() {
        ledger = JdbcLedger.open(LedgerSettings.h2File(directory.resolve("ledger")), Clock.systemUTC());
        events = new Controller(ledger, acs);
        operators = new OperatorService(ledger, acs, acs, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private static TokenRequest chat() {
        return new TokenRequest(List.of("chat"), Duration.ofHours(1));
    }

    private static OperatorService.Request by(String externalId) {
        return new OperatorService.Request(externalId, "ops-jane", Optional.of("ticket 42"));
    }

    private PersonRecord recordOf(String externalId) {
        return ledger.history(externalId).orElseThrow().record().orElseThrow();
    }

    @Test
    void anIdentityCreatedByHandIsFoldedAsAnOnboardingSoASuspensionRevokesItAndKeepsIt() {
        operators.createIdentity(by("carol"));
        String identity = recordOf("carol").acsUserId().orElseThrow();

        events.handle(Events.event(EventType.SUSPENDED, "carol", 5));

        assertThat(recordOf("carol").state()).isEqualTo(PersonState.SUSPENDED);
        assertThat(recordOf("carol").acsUserId()).contains(identity);
        assertThat(acs.revocationsOf(identity)).isEqualTo(1);
        assertThat(acs.identities()).containsExactly(identity);
    }

    @Test
    void anIdentityDeletedByHandIsFoldedAsAnOffboardingSoAReinstatementBringsNobodyBack() {
        events.handle(Events.event(EventType.ONBOARDED, "dora", 0));
        operators.deleteIdentity(by("dora"));

        events.handle(Events.event(EventType.REINSTATED, "dora", 5));

        assertThat(recordOf("dora").state()).isEqualTo(PersonState.DELETED);
        assertThat(acs.identities()).isEmpty();
        events.handle(Events.event(EventType.ONBOARDED, "dora", 10));
        assertThat(recordOf("dora").state()).as("a re-hire").isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).hasSize(1);
    }

    @Test
    void creatingAnIdentityByHandRecordsAnActivePersonAndAuditsTheOperator() {
        OperatorResult result = operators.createIdentity(by("carol"));

        assertThat(result).isInstanceOf(OperatorResult.Done.class);
        assertThat(recordOf("carol").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).containsExactly(recordOf("carol").acsUserId().orElseThrow());
        AuditEntry row = ledger.history("carol").orElseThrow().audit().get(0);
        assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.OPERATOR);
        assertThat(row.actor()).isEqualTo("ops-jane");
        assertThat(row.reason().orElseThrow()).contains("ticket 42");
    }

    @Test
    void aPersonWithAnIdentityGetsNoSecondOne() {
        operators.createIdentity(by("carol"));

        OperatorResult again = operators.createIdentity(by("carol"));

        assertThat(again).isInstanceOf(OperatorResult.Refused.class);
        assertThat(acs.createCalls()).isEqualTo(1);
    }

    @Test
    void anOperatorsCreationDoesNotMakeALaterArrivingOffboardingStale() {
        operators.createIdentity(by("carol"));

        Handled offboarding = events.handle(event(OFFBOARDED, "carol", -60));

        assertThat(offboarding).isInstanceOf(Handled.Applied.class);
        assertThat(recordOf("carol").state()).isEqualTo(PersonState.DELETED);
        assertThat(acs.identities()).isEmpty();
    }

    @Test
    void tokensAreIssuedToActivePeopleOnly() {
        events.handle(event(ONBOARDED, "dave", 0));
        OperatorResult issued = operators.issueToken(by("dave"), chat());
        assertThat(issued).isInstanceOfSatisfying(OperatorResult.Done.class,
                done -> assertThat(done.token()).isPresent());

        events.handle(event(SUSPENDED, "dave", 10));
        OperatorResult whileSuspended = operators.issueToken(by("dave"), chat());
        events.handle(event(OFFBOARDED, "dave", 20));
        OperatorResult afterLeaving = operators.issueToken(by("dave"), chat());
        OperatorResult forAStranger = operators.issueToken(by("nobody"), chat());

        assertThat(whileSuspended).isInstanceOfSatisfying(OperatorResult.Refused.class,
                r -> assertThat(r.reason()).contains("SUSPENDED"));
        assertThat(afterLeaving).isInstanceOfSatisfying(OperatorResult.Refused.class,
                r -> assertThat(r.reason()).contains("DELETED"));
        assertThat(forAStranger).isInstanceOf(OperatorResult.Refused.class);
        assertThat(acs.tokensIssued()).isEqualTo(1);
    }

    @Test
    void aLeaverCannotBeGivenAnIdentityByHand() {
        events.handle(event(ONBOARDED, "erin", 0));
        events.handle(event(OFFBOARDED, "erin", 10));

        OperatorResult result = operators.createIdentityWithToken(by("erin"), chat());

        assertThat(result).isInstanceOf(OperatorResult.Refused.class);
        assertThat(acs.identities()).isEmpty();
        assertThat(ledger.history("erin").orElseThrow().audit()).last()
                .satisfies(row -> assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.REFUSED));
    }

    @Test
    void createWithTokenReturnsTheTokenAndRecordsTheIdentity() {
        OperatorResult result = operators.createIdentityWithToken(by("fay"), new TokenRequest(List.of("chat", "voip"), Duration.ofHours(2)));

        assertThat(result).isInstanceOfSatisfying(OperatorResult.Done.class, done -> {
            assertThat(done.token()).isPresent();
            assertThat(done.record().acsUserId()).isEqualTo(recordOf("fay").acsUserId());
        });
        assertThat(ledger.history("fay").orElseThrow().audit().get(0).reason().orElseThrow())
                .doesNotContain(((OperatorResult.Done) result).token().orElseThrow().token());
    }

    @Test
    void revokingKeepsTheIdentityAndDeletingLeavesATombstone() {
        operators.createIdentity(by("gus"));
        String identity = recordOf("gus").acsUserId().orElseThrow();

        operators.revokeTokens(by("gus"));
        assertThat(recordOf("gus").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.revocationsOf(identity)).isEqualTo(1);

        operators.deleteIdentity(by("gus"));
        assertThat(recordOf("gus").state()).isEqualTo(PersonState.DELETED);
        assertThat(recordOf("gus").acsUserId()).isEmpty();
        assertThat(acs.identities()).isEmpty();
        assertThat(ledger.incompleteIntents()).isEmpty();
    }

    @Test
    void theOperatorsTokenIssueSpendsTheSameIssueBudgetAsTheTokenService() {
        events.handle(event(ONBOARDED, "alice", 0));
        OperatorService budgeted = new OperatorService(ledger, acs, acs,
                () -> new org.acslifecycle.core.port.IssueBudget.Exhausted(Duration.ofSeconds(3)), Clock.systemUTC());

        OperatorResult result = budgeted.issueToken(by("alice"), chat());

        assertThat(result).isInstanceOfSatisfying(OperatorResult.Refused.class,
                refused -> assertThat(refused.reason()).contains("issue-token budget").contains("3 s"));
        assertThat(acs.tokensIssued()).isZero();
    }

    @Test
    void theOperatorsTokenExpiresByThePersonsPendingTerminationAsTheTokenServicesDo() {
        events.handle(event(ONBOARDED, "alice", 0));
        Instant termination = Instant.now().plus(Duration.ofHours(3));
        OperatorService capped = new OperatorService(ledger, acs, acs, IssueBudget.unlimited(),
                externalId -> externalId.equals("alice") ? Optional.of(termination) : Optional.empty(), Clock.systemUTC());

        OperatorResult result = capped.issueToken(by("alice"), new TokenRequest(List.of("chat"), null));

        assertThat(result).isInstanceOfSatisfying(OperatorResult.Done.class, done -> {
            assertThat(done.token()).get().extracting(AccessTokens.IssuedToken::expiresOn)
                    .satisfies(expires -> assertThat(expires).isBeforeOrEqualTo(termination));
            assertThat(done.summary()).contains("capped by the termination at " + termination);
        });
    }

    @Test
    void noTokenIsIssuedByHandWhenTheTerminationIsSoonerThanTheShortestToken() {
        events.handle(event(ONBOARDED, "alice", 0));
        OperatorService capped = new OperatorService(ledger, acs, acs, IssueBudget.unlimited(),
                externalId -> Optional.of(Instant.now().plus(Duration.ofMinutes(30))), Clock.systemUTC());

        OperatorResult result = capped.issueToken(by("alice"), chat());

        assertThat(result).isInstanceOfSatisfying(OperatorResult.Refused.class,
                refused -> assertThat(refused.reason()).contains("termination takes effect"));
        assertThat(acs.tokensIssued()).isZero();
    }
}
