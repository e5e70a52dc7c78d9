package org.acslifecycle.core;

import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.core.port.PendingTerminations;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token service's rules, on an H2 ledger and a fake directory: what is issued, capped, refused. */
class TokenIssuanceTest {

    @TempDir
    Path directory;

    private JdbcLedger ledger;
    private final FakeDirectory acs = new FakeDirectory();
    private Controller events;
    private final AtomicInteger budgetAsked = new AtomicInteger();

    @BeforeEach
    void open() {
        ledger = JdbcLedger.open(LedgerSettings.h2File(directory.resolve("ledger")), Clock.systemUTC());
        events = new Controller(ledger, acs);
        events.handle(event(ONBOARDED, "alice", 0));
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private TokenIssuance issuance(PendingTerminations terminations) {
        return new TokenIssuance(ledger, acs, countingBudget(new IssueBudget.Granted()), terminations, () -> false,
                Clock.systemUTC());
    }

    private IssueBudget countingBudget(IssueBudget.Permit permit) {
        return () -> {
            budgetAsked.incrementAndGet();
            return permit;
        };
    }

    private static TokenIssuance.Request aliceAsksFor(Duration lifetime) {
        return new TokenIssuance.Request(new TokenIssuance.Caller("entra:alice", Optional.of("alice"), false),
                Optional.empty(), new TokenRequest(List.of("chat"), lifetime));
    }

    @Test
    void withNoPendingTerminationTheRequestedLifetimeIsKept() {
        TokenIssuance.Outcome outcome = issuance(PendingTerminations.NONE_RECORDED).issue(aliceAsksFor(Duration.ofHours(24)));

        assertThat(outcome).isInstanceOf(TokenIssuance.Issued.class);
        assertThat(((TokenIssuance.Issued) outcome).token().expiresOn()).isAfter(Instant.now().plus(Duration.ofHours(23)));
    }

    @Test
    void aPendingTerminationCapsTheExpiry() {
        Instant termination = Instant.now().plus(Duration.ofMinutes(90));

        TokenIssuance.Outcome outcome = issuance(id -> Optional.of(termination)).issue(aliceAsksFor(Duration.ofHours(24)));

        assertThat(outcome).isInstanceOf(TokenIssuance.Issued.class);
        assertThat(((TokenIssuance.Issued) outcome).token().expiresOn()).isBeforeOrEqualTo(termination)
                .isAfter(termination.minus(Duration.ofMinutes(2)));
    }

    @Test
    void aTerminationSoonerThanTheShortestTokenIsRefusedWithoutAnAcsCall() {
        Instant termination = Instant.now().plus(Duration.ofMinutes(30));

        TokenIssuance.Outcome outcome = issuance(id -> Optional.of(termination)).issue(aliceAsksFor(Duration.ofHours(1)));

        assertThat(outcome).isInstanceOf(TokenIssuance.TerminationImminent.class);
        assertThat(acs.tokensIssued()).isZero();
        assertThat(budgetAsked).hasValue(0);
    }

    @Test
    void anOpenCircuitRefusesBeforeTheBudgetIsSpent() {
        TokenIssuance issuance = new TokenIssuance(ledger, acs, countingBudget(new IssueBudget.Granted()),
                PendingTerminations.NONE_RECORDED, () -> true, Clock.systemUTC());

        TokenIssuance.Outcome outcome = issuance.issue(aliceAsksFor(Duration.ofHours(1)));

        assertThat(outcome).isInstanceOfSatisfying(TokenIssuance.AcsUnavailable.class, a -> assertThat(a.circuitOpen()).isTrue());
        assertThat(budgetAsked).hasValue(0);
        assertThat(acs.tokensIssued()).isZero();
    }

    @Test
    void anExhaustedBudgetRefusesWithoutAnAcsCall() {
        TokenIssuance issuance = new TokenIssuance(ledger, acs, countingBudget(new IssueBudget.Exhausted(Duration.ofSeconds(2))),
                PendingTerminations.NONE_RECORDED, () -> false, Clock.systemUTC());

        TokenIssuance.Outcome outcome = issuance.issue(aliceAsksFor(Duration.ofHours(1)));

        assertThat(outcome).isEqualTo(new TokenIssuance.BudgetExhausted(Duration.ofSeconds(2),
                "the ACS issue-token budget is spent for now"));
        assertThat(acs.tokensIssued()).isZero();
    }

    @Test
    void aRefusalForStateSpendsNoBudget() {
        events.handle(event(SUSPENDED, "alice", 1));

        TokenIssuance.Outcome outcome = issuance(PendingTerminations.NONE_RECORDED).issue(aliceAsksFor(Duration.ofHours(1)));

        assertThat(outcome).isInstanceOfSatisfying(TokenIssuance.NotActive.class,
                n -> assertThat(n.state()).isEqualTo(PersonState.SUSPENDED));
        assertThat(budgetAsked).hasValue(0);
    }

    @Test
    void aSuspensionCommittedWhileAcsMintsWithholdsTheToken() {
        // ACS mints, and before the answer is handed out the suspension is recorded.
        AccessTokens suspendedMidway = new AccessTokens() {
            @Override
            public IssuedToken issueToken(String acsUserId, TokenRequest request) {
                IssuedToken token = acs.issueToken(acsUserId, request);
                events.handle(event(SUSPENDED, "alice", 1));
                return token;
            }

            @Override
            public IdentityWithToken createIdentityWithToken(CreateRequest create, TokenRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        TokenIssuance issuance = new TokenIssuance(ledger, suspendedMidway, IssueBudget.unlimited(),
                PendingTerminations.NONE_RECORDED, () -> false, Clock.systemUTC());

        TokenIssuance.Outcome outcome = issuance.issue(aliceAsksFor(Duration.ofHours(1)));

        assertThat(outcome).isInstanceOf(TokenIssuance.NotActive.class);
        assertThat(ledger.history("alice").orElseThrow().audit()).anySatisfy(row ->
                assertThat(row.reason().orElseThrow()).contains("NotActive").contains("minted and withheld"));
    }

    @Test
    void everyRefusalIsAuditedWithTheCaller() {
        TokenIssuance.Request forBob = new TokenIssuance.Request(new TokenIssuance.Caller("entra:alice", Optional.of("alice"), false),
                Optional.of("bob"), new TokenRequest(List.of("voip"), Duration.ofHours(2)));

        issuance(PendingTerminations.NONE_RECORDED).issue(forBob);

        AuditEntry row = ledger.history("bob").orElseThrow().audit().get(0);
        assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.REFUSED);
        assertThat(row.actor()).isEqualTo("entra:alice");
        assertThat(row.reason().orElseThrow()).contains("NotAllowed").contains("[voip]").contains("120 min");
    }
}
