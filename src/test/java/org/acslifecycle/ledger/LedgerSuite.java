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
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.FakeDirectory;
import org.acslifecycle.core.Handled;
import org.acslifecycle.core.JournalService;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.OrphanService;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.AcsBudget;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.execution.ExecutorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's behaviour, and intake and the journal executor on top of it, run the same on every database
 * the ledger supports: each subclass supplies one. {@link Controller#handle} records an event and runs the
 * operations it made due, so each test reads in event order.
 */
abstract class LedgerSuite {

    private static final int POOL = 20;

    private LedgerSettings settings;
    private JdbcLedger ledger;
    private FakeDirectory acs;
    private Controller service;

    protected abstract LedgerSettings freshDatabase(int poolSize);

    protected abstract void dispose(LedgerSettings settings);

    @BeforeEach
    void openLedger() {
        settings = freshDatabase(POOL);
        ledger = JdbcLedger.open(settings, Clock.systemUTC());
        acs = new FakeDirectory();
        service = new Controller(ledger, acs);
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
    void eachPairOfEventsInEitherOrderEndsAsTheirTimeOrderSaysAndKeepsACSInStep() {
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
                    PersonRecord expected = inTimeOrder(List.of(earlier, later));
                    assertThat(record.state()).as(cell).isEqualTo(expected.state());
                    assertThat(record.acsUserId().isPresent()).as("holds an identity: " + cell)
                            .isEqualTo(expected.acsUserId().isPresent());
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
    void aLateOffboardingAfterALaterNoOpCutsTheLeaverOffAndIsAuditedAppliedLate() {
        service.handle(event(ONBOARDED, "frank", 0));
        String identity = recordOf("frank").acsUserId().orElseThrow();
        service.handle(event(REINSTATED, "frank", 60)); // nothing: frank is ACTIVE

        Handled late = service.handle(event(OFFBOARDED, "frank", 30));

        assertThat(late).isInstanceOfSatisfying(Handled.Applied.class, applied -> assertThat(applied.late()).isTrue());
        assertThat(recordOf("frank").state()).isEqualTo(PersonState.DELETED);
        assertThat(recordOf("frank").lastEventTime()).as("the newest event stays the newest")
                .isEqualTo(event(REINSTATED, "frank", 60).time());
        assertThat(acs.identities()).doesNotContain(identity).isEmpty();
        assertThat(outcomes("frank")).containsExactly(AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.APPLIED,
                AuditEntry.Outcome.APPLIED_LATE);
    }

    @Test
    void aPersonWithAThousandEventsKeepsAHistoryThatStillFoldsAsTimeOrderSays() {
        java.util.Random random = new java.util.Random(7);
        List<LifecycleEvent> all = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            LifecycleEvent e = event(EventType.values()[random.nextInt(4)], "gail", random.nextInt(100_000));
            all.add(e);
            service.intake.record(e);
        }
        service.drain();

        PersonRecord expected = inTimeOrder(all.stream()
                .sorted(java.util.Comparator.comparing(org.acslifecycle.core.EventPosition::of)).toList());
        assertThat(recordOf("gail").state()).isEqualTo(expected.state());
        assertThat(recordOf("gail").acsUserId().isPresent()).isEqualTo(expected.acsUserId().isPresent());
        try (var work = ledger.open("gail")) {
            assertThat(work.timeline().events()).as("rows kept in person_history").hasSizeLessThanOrEqualTo(4);
        }
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

    // --- crash windows (IntakeService and OperationRunner javadoc) ----------------------------------

    @Test
    void aCrashBeforeIntakeCommitsLeavesNothingAndTheRedeliveryAppliesOnce() {
        Controller crashing = new Controller(CrashOnCommit.around(ledger), ledger, acs,
                call -> AcsBudget.Permit.GRANTED, ExecutorSettings.defaults(), Clock.systemUTC());
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        assertThatThrownBy(() -> crashing.handle(onboarded)).isInstanceOf(CrashOnCommit.Crash.class);
        assertThat(ledger.history("alice")).as("no record, no handled event, no operation").isEmpty();

        service.handle(onboarded);

        assertThat(acs.createCalls()).isEqualTo(1);
        assertThat(acs.identities()).containsExactly(recordOf("alice").acsUserId().orElseThrow());
    }

    @Test
    void aCrashAfterACSCreatedAnIdentityButBeforeTheResultWasRecordedRepeatsTheSameCreateRequest() {
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        service.intake.record(onboarded);
        acs.afterCreate(() -> {
            throw new ProcessDeath();
        });
        service.drain(); // the "process" dies inside the ACS call; db-scheduler is left holding a picked execution
        acs.afterCreate(() -> {});
        assertThat(recordOf("alice").acsUserId()).as("the ledger never heard of the first identity").isEmpty();
        CreateRequest sent = createOf("alice").createRequest().orElseThrow(
                () -> new AssertionError("the request is stored in the commit that counts the attempt, before the call"));

        // The dead replica's execution is revived once its heartbeats are missed, and repeats the create.
        Instant later = Instant.now().plus(java.time.Duration.ofHours(1));
        service.executor.reviveDead(later);
        service.executor.runDue(later);

        PersonRecord alice = recordOf("alice");
        assertThat(alice.state()).isEqualTo(PersonState.ACTIVE);
        assertThat(acs.identities()).as("ACS (honouring the headers) returned the identity it made the first time")
                .containsExactly(alice.acsUserId().orElseThrow());
        assertThat(createOf("alice").createRequest()).hasValue(sent);
        // Still listed: an ACS that ignored the headers would have made a second one (over-report, never under).
        assertThat(ledger.possibleOrphans()).singleElement().satisfies(op -> {
            assertThat(op.externalId()).isEqualTo("alice");
            assertThat(op.attempts()).isEqualTo(2);
            assertThat(op.createRequest()).hasValue(sent);
            assertThat(op.mayHaveOrphan()).isTrue();
        });
    }

    @Test
    void aCreateRequestIsStoredAtTheFirstAttemptKeptByLaterOnesAndSurvivesAReload() {
        service.intake.record(event(ONBOARDED, "alice", 0));
        assertThat(createOf("alice").createRequest()).as("nothing is sent before the first attempt").isEmpty();
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Operation create = createOf("alice");
        Operation counted;
        try (var work = ledger.open("alice")) {
            counted = work.beginAttempt(create);
            work.commit();
        }
        CreateRequest request = counted.createRequest().orElseThrow();
        assertThat(request.firstSent()).as("an HTTP-date has whole seconds").isBetween(before, Instant.now())
                .isEqualTo(request.firstSent().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try (var work = ledger.open("alice")) {
            // A later attempt, even from a stale copy of the operation, keeps the first request.
            assertThat(work.beginAttempt(create).createRequest()).hasValue(request);
            work.commit();
        }

        ledger.close();
        ledger = JdbcLedger.open(settings, Clock.systemUTC());

        assertThat(ledger.operation(create.id()).orElseThrow()).satisfies(op -> {
            assertThat(op.attempts()).isEqualTo(2);
            assertThat(op.createRequest()).hasValue(request);
        });
    }

    @Test
    void aSettledCreateIsNoLongerAPossibleOrphan() {
        service.intake.record(event(ONBOARDED, "alice", 0));
        try (var work = ledger.open("alice")) {
            Operation counted = work.beginAttempt(createOf("alice"));
            work.cancel(counted, "offboarded while the call was in flight");
            work.commit();
        }
        assertThat(ledger.possibleOrphans()).hasSize(1);

        try (var work = ledger.open("alice")) {
            work.settleOrphan(createOf("alice"));
            work.commit();
        }

        assertThat(ledger.possibleOrphans()).isEmpty();
        assertThat(createOf("alice").orphanSettled()).isPresent();
        assertThat(createOf("alice").mayHaveOrphan()).isFalse();
    }

    @Test
    void orphansDeleteFindsTheIdentityOfACreateCancelledWhileItsCallWasInFlightAndDeletesIt() {
        service.intake.record(event(ONBOARDED, "alice", 0));
        acs.afterCreate(() -> {
            throw new ProcessDeath();
        });
        service.drain(); // ACS made the identity; the answer never reached the ledger
        acs.afterCreate(() -> {});
        service.intake.record(event(OFFBOARDED, "alice", 10)); // cancels the create; nobody will repeat it
        assertThat(createOf("alice").status()).isEqualTo(Operation.Status.CANCELLED);
        String orphan = acs.identities().iterator().next();
        OrphanService orphans = new OrphanService(ledger, acs, Clock.systemUTC());

        OrphanService.Result result = orphans.delete(new OrphanService.Request(createOf("alice").id(), "ops-jane",
                Optional.of("ticket 9")));

        assertThat(result).isInstanceOfSatisfying(OrphanService.Result.Deleted.class,
                deleted -> assertThat(deleted.acsUserId()).isEqualTo(orphan));
        assertThat(acs.identities()).isEmpty();
        assertThat(ledger.possibleOrphans()).isEmpty();
        assertThat(ledger.history("alice").orElseThrow().audit()).last().satisfies(row -> {
            assertThat(row.eventType()).hasValue("operator.orphan-delete");
            assertThat(row.actor()).isEqualTo("ops-jane");
            assertThat(row.acsUserId()).hasValue(orphan);
            assertThat(row.reason().orElseThrow()).contains("ticket 9");
        });
    }

    @Test
    void orphansDeleteKeepsTheIdentityARepeatedCreateMadeForThePersonAndSettlesIt() {
        service.intake.record(event(ONBOARDED, "alice", 0));
        acs.afterCreate(() -> {
            throw new ProcessDeath();
        });
        service.drain();
        acs.afterCreate(() -> {});
        Instant later = Instant.now().plus(java.time.Duration.ofHours(1));
        service.executor.reviveDead(later);
        service.executor.runDue(later); // DONE after two attempts: listed, though ACS made one identity
        String identity = recordOf("alice").acsUserId().orElseThrow();

        OrphanService.Result result = new OrphanService(ledger, acs, Clock.systemUTC()).delete(
                new OrphanService.Request(createOf("alice").id(), "ops-jane", Optional.empty()));

        assertThat(result).isInstanceOf(OrphanService.Result.Kept.class);
        assertThat(acs.identities()).containsExactly(identity);
        assertThat(ledger.possibleOrphans()).isEmpty();
    }

    @Test
    void orphansDeleteLeavesAPendingCreateToTheExecutor() {
        service.intake.record(event(ONBOARDED, "alice", 0));
        acs.afterCreate(() -> {
            throw new ProcessDeath();
        });
        service.drain();
        acs.afterCreate(() -> {});

        OrphanService.Result result = new OrphanService(ledger, acs, Clock.systemUTC()).delete(
                new OrphanService.Request(createOf("alice").id(), "ops-jane", Optional.empty()));

        assertThat(result).isInstanceOfSatisfying(OrphanService.Result.Refused.class,
                refused -> assertThat(refused.reason()).contains("PENDING"));
        assertThat(acs.identities()).hasSize(1);
        assertThat(ledger.possibleOrphans()).hasSize(1);
    }

    private Operation createOf(String externalId) {
        return ledger.history(externalId).orElseThrow().operations().stream()
                .filter(op -> op.kind() == Operation.Kind.CREATE).findFirst().orElseThrow();
    }

    @Test
    void aCrashAfterTheOutcomeWasSentButBeforeTheResultWasRecordedRepeatsTheRevokeAndSendsTheSameOutcome() {
        service.handle(event(ONBOARDED, "alice", 0));
        String identity = recordOf("alice").acsUserId().orElseThrow();
        Controller dying = new Controller(ledger, ledger, acs, call -> AcsBudget.Permit.GRANTED,
                ExecutorSettings.defaults(), Clock.systemUTC(), () -> {
                    throw new ProcessDeath();
                });
        dying.handle(event(SUSPENDED, "alice", 10)); // ACS revoked; the process dies as the outcome goes out
        assertThat(acs.revocationsOf(identity)).isEqualTo(1);
        assertThat(ledger.history("alice").orElseThrow().operations()).filteredOn(op -> op.kind() == Operation.Kind.REVOKE)
                .singleElement().satisfies(op -> assertThat(op.status()).isEqualTo(Operation.Status.PENDING));

        Instant later = Instant.now().plus(java.time.Duration.ofHours(1));
        service.executor.reviveDead(later);
        service.executor.runDue(later);

        assertThat(acs.revocationsOf(identity)).as("the revoke is repeated: idempotent").isEqualTo(2);
        assertThat(ledger.history("alice").orElseThrow().operations()).filteredOn(op -> op.kind() == Operation.Kind.REVOKE)
                .singleElement().satisfies(op -> assertThat(op.status()).isEqualTo(Operation.Status.DONE));
        // The same outcome (type and input event, from which its MessageId is derived) as the one that went out.
        assertThat(service.outcomes).filteredOn(o -> o.type() == OutcomeType.TOKENS_REVOKED).singleElement()
                .satisfies(o -> assertThat(o.cause().id()).isEqualTo(
                        ledger.history("alice").orElseThrow().audit().stream()
                                .filter(row -> row.eventType().equals(Optional.of("user.suspended")))
                                .findFirst().orElseThrow().eventId().orElseThrow()));
    }

    @Test
    void aCrashAfterTheCommitMakesTheRedeliveryADuplicateWithNoSecondOperation() {
        LifecycleEvent onboarded = event(ONBOARDED, "alice", 0);
        service.handle(onboarded);

        Handled redelivered = service.handle(onboarded);

        assertThat(redelivered).isInstanceOf(Handled.Duplicate.class);
        assertThat(acs.createCalls()).isEqualTo(1);
        assertThat(ledger.history("alice").orElseThrow().operations()).singleElement()
                .satisfies(op -> assertThat(op.status()).isEqualTo(Operation.Status.DONE));
    }

    @Test
    void aReinstatementSentAtIntakeIsSentAgainOnItsDuplicate() {
        service.handle(event(ONBOARDED, "alice", 0));
        service.handle(event(SUSPENDED, "alice", 5));
        LifecycleEvent reinstated = event(REINSTATED, "alice", 10);
        Handled first = service.handle(reinstated);

        Handled redelivered = service.handle(reinstated);

        assertThat(first).isInstanceOfSatisfying(Handled.Applied.class, applied ->
                assertThat(applied.outcomeNow()).contains(OutcomeType.REINSTATED));
        assertThat(redelivered).isInstanceOfSatisfying(Handled.Duplicate.class, duplicate ->
                assertThat(duplicate.outcome()).as("the outcome to send again").contains(OutcomeType.REINSTATED));
    }

    @Test
    void aRevocationThatFailsTransientlyStaysInTheJournalAndIsRepeatedAfterItsBackOff() {
        service.handle(event(ONBOARDED, "alice", 0));
        Controller flaky = new Controller(ledger, ledger, new FailingRevocation(acs), call -> AcsBudget.Permit.GRANTED,
                ExecutorSettings.defaults(), Clock.systemUTC());
        flaky.handle(event(SUSPENDED, "alice", 10));

        assertThat(recordOf("alice").state()).as("the decision is recorded at once").isEqualTo(PersonState.SUSPENDED);
        assertThat(flaky.open()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Operation.Kind.REVOKE);
            assertThat(op.attempts()).isEqualTo(1);
            assertThat(op.lastError()).hasValueSatisfying(error -> assertThat(error).contains("connection reset"));
            assertThat(op.notBefore()).isAfter(Instant.now());
        });

        Instant due = flaky.open().get(0).notBefore();
        org.awaitility.Awaitility.await().until(() -> Instant.now().isAfter(due));
        service.executor.runDue(Instant.now()); // ACS answers again

        assertThat(acs.revocationsOf(recordOf("alice").acsUserId().orElseThrow())).isEqualTo(1);
        assertThat(flaky.open()).isEmpty();
        assertThat(ledger.possibleOrphans()).isEmpty();
    }

    @Test
    void aRefusedCreateIsMarkedFailedAndAnOperatorCanSeeIt() {
        Controller refused = new Controller(ledger, ledger, new RefusingDirectory(), call -> AcsBudget.Permit.GRANTED,
                ExecutorSettings.defaults(), Clock.systemUTC());

        refused.handle(event(ONBOARDED, "alice", 0));

        PersonHistory history = ledger.history("alice").orElseThrow();
        assertThat(history.record().orElseThrow().state()).isEqualTo(PersonState.ACTIVE);
        assertThat(history.record().orElseThrow().acsUserId()).isEmpty();
        assertThat(history.operations()).singleElement().satisfies(op -> {
            assertThat(op.status()).isEqualTo(Operation.Status.FAILED);
            assertThat(op.lastError()).hasValueSatisfying(error -> assertThat(error).contains("400 InvalidRequest"));
        });
        assertThat(ledger.operations(java.util.Set.of(Operation.Status.FAILED), 10)).hasSize(1);
        // What acs_lifecycle_journal_operations{kind,status} exports.
        assertThat(ledger.countOperations(Operation.Kind.CREATE, Operation.Status.FAILED)).isEqualTo(1);
        assertThat(ledger.countOperations(Operation.Kind.CREATE, Operation.Status.PENDING)).isZero();
        assertThat(ledger.countOperations(Operation.Kind.REVOKE, Operation.Status.FAILED)).isZero();
    }

    @Test
    void retryingAFailedCreateSendsANewRequestAndLeavesTheOldOneDropped() {
        Controller refused = new Controller(ledger, ledger, new RefusingDirectory(), call -> AcsBudget.Permit.GRANTED,
                ExecutorSettings.defaults(), Clock.systemUTC());
        refused.handle(event(ONBOARDED, "alice", 0));
        Operation failed = createOf("alice");
        JournalService journal = new JournalService(ledger, service.executor, Clock.systemUTC());

        JournalService.Result result = journal.retry(new JournalService.Request(failed.id(), "ops-jane",
                Optional.of("fixed")));
        service.drain();

        assertThat(result).isInstanceOf(JournalService.Result.Done.class);
        assertThat(recordOf("alice").acsUserId()).isPresent();
        List<Operation> creates = ledger.history("alice").orElseThrow().operations();
        assertThat(creates).hasSize(2);
        assertThat(creates.get(0)).satisfies(old -> {
            assertThat(old.status()).isEqualTo(Operation.Status.DROPPED);
            assertThat(old.lastError().orElseThrow()).contains("retried as operation " + creates.get(1).id())
                    .contains("400 InvalidRequest");
        });
        assertThat(creates.get(1)).satisfies(fresh -> {
            assertThat(fresh.status()).isEqualTo(Operation.Status.DONE);
            assertThat(fresh.createRequest()).isPresent().isNotEqualTo(failed.createRequest());
        });
        assertThat(journal.retry(new JournalService.Request(failed.id(), "ops-jane", Optional.empty())))
                .as("alice has an identity now: no second create")
                .isInstanceOfSatisfying(JournalService.Result.Refused.class,
                        refusal -> assertThat(refusal.reason()).contains("already has identity"));
    }

    /** Stands for the process dying: not an exception the runner treats as a failed call. */
    private static final class ProcessDeath extends Error {
        ProcessDeath() {
            super("simulated process death while ACS answers");
        }
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
        assertThat(row.acsUserId()).as("the identity is the executor's to record").isEmpty();
        AuditEntry done = ledger.history("alice").orElseThrow().audit().get(1);
        assertThat(done.eventType()).contains("operation.create");
        assertThat(done.acsUserId()).isEqualTo(recordOf("alice").acsUserId());
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
            racers.add(() -> service.intake.record(onboarded));
        }

        List<Handled> results = race(racers);
        service.drain();

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
            racers.add(() -> service.intake.record(event));
        }
        LifecycleEvent leaving = event(OFFBOARDED, "bob", 100);
        racers.add(() -> service.intake.record(leaving));

        race(racers);
        service.drain();

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

    /** How each event was handled (the executor's EFFECT rows left out). */
    private List<AuditEntry.Outcome> outcomes(String externalId) {
        return ledger.history(externalId).orElseThrow().audit().stream().map(AuditEntry::outcome)
                .filter(outcome -> outcome != AuditEntry.Outcome.EFFECT).toList();
    }

    private long countPeopleWithIdentity(int people) {
        long count = 0;
        for (int i = 0; i < people; i++) {
            count += recordOf("pair-" + i).acsUserId().isPresent() ? 1 : 0;
        }
        return count;
    }

    /** The table alone over the events in time order (DESIGN §3, convergence): the property test's oracle. */
    private static PersonRecord inTimeOrder(List<LifecycleEvent> timeOrdered) {
        return org.acslifecycle.core.ConvergencePropertyTest.oracle(timeOrdered);
    }

    private static final class FailingRevocation implements IdentityDirectory {
        private final IdentityDirectory real;

        FailingRevocation(IdentityDirectory real) {
            this.real = real;
        }

        @Override public String createIdentity(CreateRequest request) { return real.createIdentity(request); }
        @Override public Completion revokeTokens(String id) {
            throw new DirectoryFailure.Transient("revokeTokens", "connection reset", null, null);
        }
        @Override public Completion deleteIdentity(String id) { return real.deleteIdentity(id); }
    }

    private static final class RefusingDirectory implements IdentityDirectory {
        @Override public String createIdentity(CreateRequest request) {
            throw new DirectoryFailure.Permanent("createIdentity", 400, "InvalidRequest", "bad request", null);
        }
        @Override public Completion revokeTokens(String id) { throw new UnsupportedOperationException(); }
        @Override public Completion deleteIdentity(String id) { throw new UnsupportedOperationException(); }
    }
}
