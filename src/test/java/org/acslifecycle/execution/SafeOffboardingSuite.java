package org.acslifecycle.execution;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.acslifecycle.core.DeletionControls;
import org.acslifecycle.core.DeletionPolicy;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.Events;
import org.acslifecycle.core.Handled;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.DeletionSafety;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.emulators.acs.MutableClock;
import org.acslifecycle.identity.AcsIdentityAdapter;
import org.acslifecycle.identity.AcsIdentityConfig;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Safe offboarding (DESIGN §3) through intake and the journal executor, the real SDK against the ACS emulator:
 * access cut at once, deletion after the grace period, reversal, legal hold, the deletion breaker. Each subclass
 * supplies a database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SafeOffboardingSuite {

    private static final Duration GRACE = Duration.ofDays(14);

    private AcsIdentityEmulator acs;
    private AcsIdentityAdapter adapter;
    private LedgerSettings settings;
    private JdbcLedger ledger;
    private MutableClock clock;
    private Controller controller;

    protected abstract LedgerSettings freshDatabase(int poolSize);

    protected abstract void dispose(LedgerSettings settings);

    @BeforeAll
    void startAcs() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        adapter = AcsIdentityAdapter.fromConfig(AcsIdentityConfig.ofConnectionString(acs.connectionString())
                .withTrustedCertificate(acs.certificatePem()), AcsPacing.unpaced(), new CompositeMeterRegistry());
    }

    @AfterAll
    void stopAcs() {
        acs.close();
    }

    /** A fresh ledger under this policy. */
    private void with(DeletionPolicy policy) {
        settings = freshDatabase(10);
        clock = new MutableClock();
        ledger = JdbcLedger.open(settings, clock);
        controller = new Controller(ledger, adapter, policy, clock);
    }

    private static DeletionPolicy grace(Duration grace) {
        return new DeletionPolicy(grace, Duration.ofHours(1), Integer.MAX_VALUE, 1.0, Integer.MAX_VALUE);
    }

    private static DeletionPolicy breaker(int maxDeletions, Duration grace) {
        return new DeletionPolicy(grace, Duration.ofHours(1), maxDeletions, 1.0, Integer.MAX_VALUE);
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
            dispose(settings);
        }
    }

    // ---- given / when ----

    private void handle(EventType type, String person) {
        controller.handle(Events.event(type, person, clock.instant()));
    }

    private String identityOf(String person) {
        return record(person).acsUserId().orElseThrow();
    }

    private PersonRecord record(String person) {
        return ledger.person(person).orElseThrow();
    }

    private IdentityView inAcs(String id) {
        return acs.identities().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    private void later(Duration by) {
        clock.advance(by);
        controller.drain();
    }

    private List<OutcomeType> outcomesOf(String person) {
        return controller.outcomes.stream().filter(o -> o.subject().equals(person)).map(Controller.Published::type)
                .toList();
    }

    private DeletionControls controls(DeletionPolicy policy) {
        return new DeletionControls(ledger, ledger.deletionSafety(policy), controller.executor,
                (type, cause, causeType, subject, id, state) -> controller.outcomes.add(
                        new Controller.Published(type, cause, subject, id, state)), clock);
    }

    private static final DeletionControls.Actor ALEX = new DeletionControls.Actor("alex", "checked with HR");

    // ---- grace period ----

    @Test
    void anOffboardingCutsAccessAtOnceAndDeletesOnlyWhenTheGracePeriodEnds() {
        with(grace(GRACE));
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");

        handle(OFFBOARDED, "alice");

        assertThat(record("alice").state()).isEqualTo(PersonState.OFFBOARDED);
        assertThat(inAcs(identity).tokensRevokedAt()).as("access cut at once").isNotNull();
        assertThat(inAcs(identity).deletedAt()).as("not deleted within the grace period").isNull();
        assertThat(outcomesOf("alice")).containsExactly(OutcomeType.PROVISIONED, OutcomeType.OFFBOARDED);

        later(GRACE.minusMinutes(1));
        assertThat(inAcs(identity).deletedAt()).as("a minute before the grace period ends").isNull();

        later(Duration.ofMinutes(2));
        assertThat(inAcs(identity).deletedAt()).as("once the grace period has ended").isNotNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.DELETED);
        assertThat(record("alice").acsUserId()).isEmpty();
        assertThat(outcomesOf("alice")).endsWith(OutcomeType.OFFBOARDED, OutcomeType.DELETED);
    }

    @Test
    void withoutAGracePeriodTheCutOffIsTheDeletionItselfAndBothOutcomesGoOut() {
        with(grace(Duration.ZERO));
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");

        handle(OFFBOARDED, "alice");

        assertThat(inAcs(identity).deletedAt()).isNotNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.DELETED);
        assertThat(outcomesOf("alice")).containsExactly(OutcomeType.PROVISIONED, OutcomeType.OFFBOARDED,
                OutcomeType.DELETED);
    }

    // ---- reversal ----

    @Test
    void anOnboardingWithinTheGracePeriodReversesTheOffboardingWithTheSameAcsIdentity() {
        with(grace(GRACE));
        int identitiesBefore = acs.identities().size();
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");
        handle(OFFBOARDED, "alice");
        clock.advance(Duration.ofDays(3));

        Handled reversal = controller.handle(Events.event(ONBOARDED, "alice", clock.instant())); // HR's mistake

        assertThat(record("alice").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(identityOf("alice")).as("the same ACS identity, chat history intact").isEqualTo(identity);
        assertThat(controller.open()).as("the pending deletion is cancelled").isEmpty();
        later(GRACE.multipliedBy(2));
        assertThat(inAcs(identity).deletedAt()).as("never deleted").isNull();
        assertThat(acs.identities()).as("no second identity").hasSize(identitiesBefore + 1);
        assertThat(((Handled.Applied) reversal).outcomeNow()).as("told at once: no ACS work stands between")
                .contains(OutcomeType.REINSTATED);
    }

    @Test
    void aLeaverBackWhileTheirDeletionsAnswerWasLostGetsANewIdentityRatherThanOneThatMayBeGone() {
        with(grace(Duration.ZERO));
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");
        // ACS deletes, and no answer arrives (nor those of the adapter's own retries): the runner retries later.
        acs.faults().loseNextAnswers(20);

        handle(OFFBOARDED, "alice");
        acs.faults().clear();
        assertThat(inAcs(identity).deletedAt()).as("deleted in ACS, unknown to the ledger").isNotNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.OFFBOARDED);
        handle(ONBOARDED, "alice");
        later(Duration.ofMinutes(2));

        assertThat(record("alice").state()).isEqualTo(PersonState.ACTIVE);
        assertThat(identityOf("alice")).as("not the identity that may be gone").isNotEqualTo(identity);
        assertThat(inAcs(identityOf("alice")).deletedAt()).as("the new identity is live").isNull();
        assertThat(controller.open()).as("the deletion was finished (404: done)").isEmpty();
    }

    @Test
    void aReHireAfterTheDeletionMakesANewIdentity() {
        with(grace(GRACE));
        handle(ONBOARDED, "alice");
        String leavers = identityOf("alice");
        handle(OFFBOARDED, "alice");
        later(GRACE.plusMinutes(1));

        handle(ONBOARDED, "alice");

        assertThat(identityOf("alice")).isNotEqualTo(leavers);
        assertThat(inAcs(leavers).deletedAt()).isNotNull();
    }

    // ---- legal hold ----

    @Test
    void aLegalHoldKeepsTheDeletionWaitingButNeverTheRevocation() {
        DeletionPolicy policy = grace(Duration.ZERO);
        with(policy);
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");
        controls(policy).placeHold("alice", new DeletionControls.Actor("legal", "litigation 2026-17"));

        handle(OFFBOARDED, "alice");
        later(Duration.ofDays(30));

        assertThat(inAcs(identity).tokensRevokedAt()).as("access cut at once, hold or not").isNotNull();
        assertThat(inAcs(identity).deletedAt()).as("held: not deleted").isNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.OFFBOARDED);

        controls(policy).liftHold("alice", new DeletionControls.Actor("legal", "case closed"));
        controller.drain();

        assertThat(inAcs(identity).deletedAt()).as("deleted once the hold is lifted").isNotNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.DELETED);
        assertThat(ledger.history("alice").orElseThrow().audit()).extracting(a -> a.eventType().orElse(""))
                .contains("operator.hold-add", "operator.hold-remove");
    }

    // ---- effective dating ----

    private Handled handleEffective(EventType type, String person, Duration ahead) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return controller.handle(Events.effectiveAt(type, person, now, now.plus(ahead)));
    }

    @Test
    void aTerminationRecordedAheadOfItsDateHasNoEffectBeforeItAndCutsAccessOffRightAfter() {
        with(grace(Duration.ZERO));
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");
        Handled scheduled = handleEffective(OFFBOARDED, "alice", Duration.ofDays(10));
        Instant effective = ((Handled.Scheduled) scheduled).effectiveAt();

        assertThat(scheduled).isInstanceOf(Handled.Scheduled.class);
        assertThat(ledger.pendingChange("alice")).map(change -> change.effective()).contains(effective);
        assertThat(ledger.pendingTerminations().effectiveAt("alice")).as("tokens are capped there").contains(effective);
        later(Duration.ofDays(10).minusMinutes(1));
        assertThat(record("alice").state()).as("a minute before its effective time").isEqualTo(PersonState.ACTIVE);
        assertThat(inAcs(identity).tokensRevokedAt()).isNull();

        later(Duration.ofMinutes(1).plusSeconds(1));

        assertThat(inAcs(identity).deletedAt()).as("cut off at its effective time").isNotNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.DELETED);
        assertThat(ledger.pendingChange("alice")).isEmpty();
        assertThat(ledger.history("alice").orElseThrow().operations()).extracting(Operation::effectiveTime)
                .as("the revocation lag counts from the effective time").contains(effective);
    }

    @Test
    void aNewerFutureDatedEventReplacesThePendingChange() {
        with(grace(Duration.ZERO));
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");
        handleEffective(OFFBOARDED, "alice", Duration.ofDays(10));
        clock.advance(Duration.ofMinutes(1));

        handleEffective(OFFBOARDED, "alice", Duration.ofDays(20)); // HR moved the leaving date

        later(Duration.ofDays(15));
        assertThat(inAcs(identity).tokensRevokedAt()).as("not at the replaced date").isNull();
        later(Duration.ofDays(6));
        assertThat(inAcs(identity).deletedAt()).as("at the new date").isNotNull();
    }

    @Test
    void aNewerImmediateEventCancelsThePendingChangeAndAnOlderOneDoesNot() {
        with(grace(Duration.ZERO));
        handle(ONBOARDED, "alice");
        String identity = identityOf("alice");
        Instant older = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        handleEffective(OFFBOARDED, "alice", Duration.ofDays(10));
        controller.handle(Events.event(EventType.SUSPENDED, "alice", older.minusSeconds(1))); // older: stays pending
        assertThat(ledger.pendingChange("alice")).isPresent();
        clock.advance(Duration.ofMinutes(1));

        handle(EventType.REINSTATED, "alice"); // newer: the termination is withdrawn

        assertThat(ledger.pendingChange("alice")).isEmpty();
        later(Duration.ofDays(11));
        assertThat(inAcs(identity).deletedAt()).as("never cut off").isNull();
        assertThat(record("alice").state()).isEqualTo(PersonState.ACTIVE);
    }

    // ---- the deletion breaker ----

    /** Twenty people, then a feed that terminates half of them at once. */
    private List<String> aFeedTerminatingHalfOfTwenty() {
        List<String> people = IntStream.range(0, 20).mapToObj(i -> "p" + i).toList();
        people.forEach(p -> handle(ONBOARDED, p));
        List<String> terminated = people.subList(0, 10);
        terminated.forEach(p -> handle(OFFBOARDED, p));
        return terminated;
    }

    private Map<String, String> identities(List<String> people) {
        return people.stream().collect(Collectors.toMap(Function.identity(), this::identityOf));
    }

    private long deleted(Map<String, String> identities) {
        return identities.values().stream().filter(id -> inAcs(id).deletedAt() != null).count();
    }

    @Test
    void theBreakerHoldsABurstOfDeletionsWhileEveryRevocationIsDoneUntilReleased() {
        DeletionPolicy policy = breaker(5, Duration.ofMinutes(10));
        with(policy);
        List<String> people = IntStream.range(0, 20).mapToObj(i -> "p" + i).toList();
        people.forEach(p -> handle(ONBOARDED, p));
        Map<String, String> identities = identities(people.subList(0, 10));
        people.subList(0, 10).forEach(p -> handle(OFFBOARDED, p));

        later(Duration.ofMinutes(11)); // every deletion is due now
        DeletionSafety safety = ledger.deletionSafety(policy);

        assertThat(identities.values()).as("every terminated person's access cut")
                .allSatisfy(id -> assertThat(inAcs(id).tokensRevokedAt()).isNotNull());
        assertThat(deleted(identities)).as("deleted while the breaker is open").isZero();
        assertThat(safety.heldCount()).isEqualTo(10);
        assertThat(safety.breakerOpen(clock.instant())).isPresent();
        assertThat(controller.outcomes.stream().filter(o -> o.type() == OutcomeType.DELETION_HELD)
                .map(Controller.Published::subject)).containsExactlyInAnyOrderElementsOf(identities.keySet());
        handle(ONBOARDED, "newcomer");
        assertThat(ledger.person("newcomer").flatMap(PersonRecord::acsUserId)).as("creations go on").isPresent();

        List<Operation> released = controls(policy).release(new DeletionControls.Selection(true, Set.of()), ALEX);
        controller.drain();

        assertThat(released).hasSize(10);
        assertThat(deleted(identities)).as("all deleted once released").isEqualTo(10);
        assertThat(safety.breakerOpen(clock.instant())).as("closed again").isEmpty();
        assertThat(people.subList(0, 10)).allSatisfy(p -> assertThat(record(p).state()).isEqualTo(PersonState.DELETED));
    }

    @Test
    void aCorrectingFeedReversesSomeHeldDeletionsAndTheRestAreCancelledSoNothingIsDeleted() {
        DeletionPolicy policy = breaker(5, Duration.ZERO);
        with(policy);
        List<String> people = IntStream.range(0, 20).mapToObj(i -> "p" + i).toList();
        people.forEach(p -> handle(ONBOARDED, p));
        List<String> terminated = people.subList(0, 10);
        Map<String, String> identities = identities(terminated);
        terminated.forEach(p -> handle(OFFBOARDED, p));
        // The first deletions go before the count passes five: what the breaker holds is the rest.
        long beforeTrip = deleted(identities);
        assertThat(beforeTrip).as("deletions done before the breaker opened").isLessThanOrEqualTo(5);

        terminated.stream().limit(7).forEach(p -> handle(ONBOARDED, p)); // the feed was wrong: HR corrects it
        List<Operation> cancelled = controls(policy).cancel(new DeletionControls.Selection(true, Set.of()), ALEX);
        later(Duration.ofDays(1));

        assertThat(deleted(identities)).as("nothing deleted after the breaker opened").isEqualTo(beforeTrip);
        assertThat(terminated.stream().limit(7).filter(p -> identities.get(p).equals(
                ledger.person(p).flatMap(PersonRecord::acsUserId).orElse(null))))
                .as("those corrected and not yet deleted keep their identity")
                .hasSize((int) terminated.stream().limit(7).filter(p -> inAcs(identities.get(p)).deletedAt() == null).count());
        assertThat(ledger.deletionSafety(policy).heldCount()).isZero();
        assertThat(cancelled).isNotEmpty();
        assertThat(controller.outcomes.stream().filter(o -> o.type() == OutcomeType.DELETION_CANCELLED)).isNotEmpty();
    }
}
