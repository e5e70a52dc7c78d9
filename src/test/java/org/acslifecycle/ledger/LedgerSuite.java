package org.acslifecycle.ledger;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.REINSTATED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Decision;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.FakeDirectory;
import org.acslifecycle.core.Handled;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.LifecycleRules;
import org.acslifecycle.core.LifecycleService;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's behaviour, and the lifecycle service on top of it, run the same on every database the
 * ledger supports: each subclass supplies one.
 */
abstract class LedgerSuite {

    private static final int POOL = 20;

    private LedgerSettings settings;
    private JdbcLedger ledger;
    private FakeDirectory acs;
    private LifecycleService service;

    protected abstract LedgerSettings freshDatabase(int poolSize);

    protected abstract void dispose(LedgerSettings settings);

    @BeforeEach
    void openLedger() {
        settings = freshDatabase(POOL);
        ledger = JdbcLedger.open(settings, Clock.systemUTC());
        acs = new FakeDirectory();
        service = new LifecycleService(ledger, acs, Clock.systemUTC());
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
        dispose(settings);
    }

    // --- applying events --------------------------------------------------------------------------

    @Test
    void onboardingCreatesOneIdentityAndRecordsThePersonAsActive() {
        Handled handled = service.handle(event(ONBOARDED, "alice", 0));

        PersonRecord alice = recordOf("alice");
        assertThat(handled).isInstanceOf(Handled.Applied.class);
        assertThat(alice.state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).containsExactly(alice.acsUserId().orElseThrow());
    }

    @Test
    void anEventDeliveredFourTimesHasOneEffectAndThreeDuplicateAuditRows() {
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);

        List<Handled> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(service.handle(onboarded));
        }

        assertThat(results.get(0)).isInstanceOf(Handled.Applied.class);
        assertThat(results.subList(1, 4)).allMatch(h -> h instanceof Handled.Duplicate);
        assertThat(acs.createCalls()).isEqualTo(1);
        assertThat(outcomes("alice")).containsExactly(AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.DUPLICATE,
                AuditEntry.Outcome.DUPLICATE, AuditEntry.Outcome.DUPLICATE);
    }

    @Test
    void eachPairOfEventsInEitherOrderEndsAsTheRulesSayAndKeepsACSInStep() {
        int person = 0;
        for (EventType first : EventType.values()) {
            for (EventType second : EventType.values()) {
                for (boolean inOrder : new boolean[] {true, false}) {
                    String subject = "pair-" + person++;
                    LifecycleEvent earlier = event(first, subject, 0);
                    LifecycleEvent later = event(second, subject, 10);
                    List<LifecycleEvent> arrival = inOrder ? List.of(earlier, later) : List.of(later, earlier);

                    arrival.forEach(service::handle);

                    PersonRecord record = recordOf(subject);
                    String cell = first + " then " + second + (inOrder ? " in order" : " reversed");
                    assertThat(record.state()).as(cell).isEqualTo(expectedState(arrival));
                    assertThat(record.lastEventTime()).as(cell).isEqualTo(later.time());
                    if (second == OFFBOARDED) {
                        assertThat(record.state()).as("a later offboarding wins: " + cell).isEqualTo(PersonState.DELETED);
                    }
                    assertThat(acs.identities().stream().filter(id -> record.acsUserId().equals(Optional.of(id))))
                            .as("the ledger's identity exists in ACS: " + cell)
                            .hasSize(record.acsUserId().isPresent() ? 1 : 0);
                }
            }
        }
        assertThat(acs.identities()).as("no identity outside the ledger")
                .hasSize((int) countPeopleWithIdentity(person));
    }

    @Test
    void aLateOnboardingAfterOffboardingIsStaleAndBringsNobodyBack() {
        service.handle(event(ONBOARDED, "alice", 0));
        service.handle(event(OFFBOARDED, "alice", 10));

        Handled late = service.handle(event(ONBOARDED, "alice", 5));

        assertThat(late).isInstanceOf(Handled.Stale.class);
        assertThat(recordOf("alice").state()).isEqualTo(PersonState.DELETED);
        assertThat(acs.identities()).isEmpty();
        assertThat(outcomes("alice")).containsExactly(AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.APPLIED,
                AuditEntry.Outcome.STALE);
    }

    @Test
    void aRehireGetsANewIdentityAndTheOldOneStaysDeleted() {
        service.handle(event(ONBOARDED, "alice", 0));
        String first = recordOf("alice").acsUserId().orElseThrow();
        service.handle(event(OFFBOARDED, "alice", 10));

        service.handle(event(ONBOARDED, "alice", 20));

        String second = recordOf("alice").acsUserId().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(recordOf("alice").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).containsExactly(second);
    }

    @Test
    void suspendAndReinstateCyclesKeepOneIdentityAndRevokeEachTime() {
        service.handle(event(ONBOARDED, "alice", 0));
        String identity = recordOf("alice").acsUserId().orElseThrow();

        for (int cycle = 1; cycle <= 3; cycle++) {
            service.handle(event(SUSPENDED, "alice", cycle * 10));
            assertThat(recordOf("alice").state()).isEqualTo(PersonState.SUSPENDED);
            service.handle(event(REINSTATED, "alice", cycle * 10 + 5));
            assertThat(recordOf("alice").state()).isEqualTo(PersonState.ACTIVE);
        }

        assertThat(recordOf("alice").acsUserId()).contains(identity);
        assertThat(acs.revocationsOf(identity)).isEqualTo(3);
        assertThat(acs.createCalls()).isEqualTo(1);
    }

    @Test
    void aSuspensionBeforeAnyOnboardingRecordsASuspendedPersonWithoutIdentity() {
        service.handle(event(SUSPENDED, "alice", 0));

        assertThat(recordOf("alice").state()).isEqualTo(PersonState.SUSPENDED);
        assertThat(recordOf("alice").acsUserId()).isEmpty();
        assertThat(acs.createCalls()).isZero();

        service.handle(event(ONBOARDED, "alice", 5));
        assertThat(recordOf("alice").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).containsExactly(recordOf("alice").acsUserId().orElseThrow());
    }

    // --- crash windows ----------------------------------------------------------------------------

    @Test
    void aCrashAfterACSCreatedAnIdentityButBeforeTheLedgerHeardOfItLeavesAnIntentNamingThePossibleOrphan() {
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        acs.afterCreate(() -> {
            throw new IllegalStateException("simulated crash while ACS answers");
        });
        assertThatThrownBy(() -> service.handle(onboarded)).hasMessageContaining("simulated crash");
        acs.afterCreate(() -> {});

        service.handle(onboarded); // the redelivery

        PersonRecord alice = recordOf("alice");
        assertThat(alice.state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).hasSize(2).contains(alice.acsUserId().orElseThrow());
        List<Intent> incomplete = ledger.incompleteIntents();
        assertThat(incomplete).singleElement().satisfies(intent -> {
            assertThat(intent.externalId()).isEqualTo("alice");
            assertThat(intent.status()).isEqualTo(Intent.Status.ABANDONED);
            assertThat(intent.mayHaveOrphan()).isTrue();
        });
    }

    @Test
    void aCrashAfterTheCreatedIdentityWasNotedButBeforeTheCommitReusesThatIdentity() {
        LifecycleService crashing = new LifecycleService(new CrashOnCommit(ledger), acs, Clock.systemUTC());
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        assertThatThrownBy(() -> crashing.handle(onboarded)).isInstanceOf(CrashOnCommit.Crash.class);
        assertThat(ledger.history("alice").flatMap(PersonHistory::record)).isEmpty();

        service.handle(onboarded);

        assertThat(acs.createCalls()).isEqualTo(1);
        assertThat(acs.identities()).containsExactly(recordOf("alice").acsUserId().orElseThrow());
        assertThat(ledger.incompleteIntents()).isEmpty();
    }

    @Test
    void aCrashAfterTheCommitMakesTheRedeliveryADuplicate() {
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        service.handle(onboarded);

        Handled redelivered = service.handle(onboarded);

        assertThat(redelivered).isInstanceOfSatisfying(Handled.Duplicate.class, duplicate ->
                assertThat(duplicate.outcome()).as("the outcome to send again").contains(OutcomeType.PROVISIONED));
        assertThat(acs.createCalls()).isEqualTo(1);
    }

    @Test
    void aRevocationInterruptedBeforeItsResultIsRepeatedOnRedeliveryWithoutAnOrphanWarning() {
        service.handle(event(ONBOARDED, "alice", 0));
        LifecycleEvent suspended = event(SUSPENDED, "alice", 10);
        IdentityDirectory failingOnce = new FailingRevocation(acs);
        assertThatThrownBy(() -> new LifecycleService(ledger, failingOnce, Clock.systemUTC()).handle(suspended))
                .isInstanceOf(DirectoryFailure.Transient.class);
        assertThat(recordOf("alice").state()).isEqualTo(PersonState.ACTIVE);

        service.handle(suspended);

        assertThat(recordOf("alice").state()).isEqualTo(PersonState.SUSPENDED);
        assertThat(acs.revocationsOf(recordOf("alice").acsUserId().orElseThrow())).isEqualTo(1);
        assertThat(ledger.incompleteIntents()).singleElement()
                .satisfies(intent -> assertThat(intent.mayHaveOrphan()).isFalse());
    }

    @Test
    void aRefusedCreateLeavesAFailedIntentAndNoRecord() {
        IdentityDirectory refusing = new RefusingDirectory();
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);

        assertThatThrownBy(() -> new LifecycleService(ledger, refusing, Clock.systemUTC()).handle(onboarded))
                .isInstanceOf(DirectoryFailure.Permanent.class);

        PersonHistory history = ledger.history("alice").orElseThrow();
        assertThat(history.record()).isEmpty();
        assertThat(history.intents()).singleElement()
                .satisfies(intent -> assertThat(intent.status()).isEqualTo(Intent.Status.FAILED));
        assertThat(ledger.incompleteIntents()).isEmpty();
    }

    // --- audit ------------------------------------------------------------------------------------

    @Test
    void theAuditTrailKeepsEveryFieldOfAnAppliedEvent() {
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        service.handle(onboarded);

        AuditEntry row = ledger.history("alice").orElseThrow().audit().get(0);

        assertThat(row.eventId()).contains(onboarded.key().id());
        assertThat(row.eventSource()).contains(onboarded.key().source());
        assertThat(row.eventType()).contains("user.onboarded");
        assertThat(row.subject()).contains("alice");
        assertThat(row.eventTime()).contains(onboarded.time());
        assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.APPLIED);
        assertThat(row.acsUserId()).isEqualTo(recordOf("alice").acsUserId());
        assertThat(row.reason()).isEqualTo(onboarded.reason());
        assertThat(row.actor()).isEqualTo(AuditEntry.WORKER);
    }

    @Test
    void aRejectedMessageIsAuditedEvenWithAnOverlongAttribute() {
        String hugeType = "x".repeat(5000);
        ledger.audit(new AuditEntry(Optional.of("evt-9"), Optional.of("/hr/test"), Optional.of(hugeType),
                Optional.of("alice"), Optional.empty(), AuditEntry.Outcome.REJECTED, Optional.empty(),
                Optional.of("InvalidEvent: time: not RFC 3339"), AuditEntry.WORKER, Instant.now()));

        AuditEntry row = ledger.history("alice").orElseThrow().audit().get(0);
        assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.REJECTED);
        assertThat(row.reason()).contains("InvalidEvent: time: not RFC 3339");
        assertThat(row.eventType().orElseThrow()).hasSize(256);
    }

    @Test
    void aPersonNeverSeenHasNoHistory() {
        assertThat(ledger.history("nobody")).isEmpty();
    }

    // --- concurrency without sessions -------------------------------------------------------------

    @Test
    void manyThreadsOnboardingOnePersonAtOnceCreateExactlyOneIdentity() throws Exception {
        List<Callable<Handled>> racers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            LifecycleEvent onboarded = event(ONBOARDED, "alice", i % 3);
            racers.add(() -> service.handle(onboarded));
        }

        List<Handled> results = race(racers);

        assertThat(acs.createCalls()).isEqualTo(1);
        assertThat(acs.identities()).containsExactly(recordOf("alice").acsUserId().orElseThrow());
        assertThat(recordOf("alice").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(results).hasSize(16);
    }

    @Test
    void whenThreadsRaceTheOffboardingWithTheLatestTimeAlwaysWins() throws Exception {
        List<Callable<Handled>> racers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            EventType type = EventType.values()[i % 3 == 0 ? 0 : i % 3 == 1 ? 2 : 3]; // onboard, suspend, reinstate
            LifecycleEvent event = event(type, "bob", i);
            racers.add(() -> service.handle(event));
        }
        LifecycleEvent leaving = event(OFFBOARDED, "bob", 100);
        racers.add(() -> service.handle(leaving));

        race(racers);

        PersonRecord bob = recordOf("bob");
        assertThat(bob.state()).isEqualTo(PersonState.DELETED);
        assertThat(bob.acsUserId()).isEmpty();
        assertThat(acs.identities()).as("every identity made during the race was deleted").isEmpty();
        assertThat(acs.createCalls()).as("at most one identity at a time").isLessThanOrEqualTo(1);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private List<Handled> race(List<Callable<Handled>> racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            List<Future<Handled>> futures = pool.invokeAll(racers, 2, TimeUnit.MINUTES);
            List<Handled> results = new ArrayList<>();
            for (Future<Handled> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void personReadsTheCommittedRecordWithoutALockAndIsEmptyForStrangers() {
        service.handle(event(ONBOARDED, "alice", 0));
        service.handle(event(SUSPENDED, "alice", 1));

        assertThat(ledger.person("alice")).contains(recordOf("alice"));
        assertThat(ledger.person("alice").orElseThrow().state()).isEqualTo(PersonState.SUSPENDED);
        assertThat(ledger.person("nobody")).isEmpty();
    }

    private PersonRecord recordOf(String externalId) {
        return ledger.history(externalId).flatMap(PersonHistory::record).orElseThrow();
    }

    private List<AuditEntry.Outcome> outcomes(String externalId) {
        return ledger.history(externalId).orElseThrow().audit().stream().map(AuditEntry::outcome).toList();
    }

    private long countPeopleWithIdentity(int people) {
        long count = 0;
        for (int i = 0; i < people; i++) {
            count += recordOf("pair-" + i).acsUserId().isPresent() ? 1 : 0;
        }
        return count;
    }

    /** The state the rules alone give for events in arrival order: the oracle for the wired-up service. */
    private static PersonState expectedState(List<LifecycleEvent> arrival) {
        Optional<PersonRecord> record = Optional.empty();
        for (LifecycleEvent event : arrival) {
            Decision decision = LifecycleRules.decide(record, event);
            if (decision instanceof Decision.Transition t) {
                Optional<String> identity = t.to() == PersonState.DELETED ? Optional.empty() : Optional.of("id");
                record = Optional.of(new PersonRecord(event.subject(), identity, t.to(), event.time(), event.key()));
            }
        }
        return record.orElseThrow().state();
    }

    private static final class FailingRevocation implements IdentityDirectory {
        private final IdentityDirectory real;

        FailingRevocation(IdentityDirectory real) {
            this.real = real;
        }

        @Override public String createIdentity() { return real.createIdentity(); }
        @Override public Completion revokeTokens(String id) {
            throw new DirectoryFailure.Transient("revokeTokens", "connection reset", null, null);
        }
        @Override public Completion deleteIdentity(String id) { return real.deleteIdentity(id); }
    }

    private static final class RefusingDirectory implements IdentityDirectory {
        @Override public String createIdentity() {
            throw new DirectoryFailure.Permanent("createIdentity", 400, "InvalidRequest", "bad request", null);
        }
        @Override public Completion revokeTokens(String id) { throw new UnsupportedOperationException(); }
        @Override public Completion deleteIdentity(String id) { throw new UnsupportedOperationException(); }
    }
}
