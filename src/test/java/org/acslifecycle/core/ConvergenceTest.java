package org.acslifecycle.core;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.REINSTATED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fold and the diff of DESIGN §3 (convergence), pure: one person, events in the order given. */
class ConvergenceTest {

    /**
     * One person as intake would leave them, with the journal's effects done at once — deletions too, unless a
     * grace period (or a hold) keeps them pending.
     */
    private static final class Person {
        final boolean deletionsWait;
        Optional<PersonRecord> record = Optional.empty();
        Optional<EventPosition> since = Optional.empty();
        PersonTimeline timeline = PersonTimeline.EMPTY;
        int identities;

        Person() {
            this(false);
        }

        Person(boolean deletionsWait) {
            this.deletionsWait = deletionsWait;
        }

        Convergence.Plan handle(LifecycleEvent event) {
            Convergence.Plan plan = Convergence.plan(new Convergence.Held(record, since, false, timeline), event);
            PersonRecord next = plan.record();
            for (Convergence.Step step : plan.steps()) {
                if (step.kind() == Operation.Kind.CREATE) {
                    next = new PersonRecord(next.externalId(), Optional.of("8:acs:" + ++identities), next.state(),
                            next.lastEventTime(), next.lastEventKey());
                } else if (step.kind() == Operation.Kind.CUT_OFF && !deletionsWait
                        && next.acsUserId().equals(step.acsUserId())) {
                    next = next.identityDeleted();
                }
            }
            record = Optional.of(next);
            since = plan.identitySince();
            timeline = plan.timeline();
            return plan;
        }

        String identity() {
            return record.flatMap(PersonRecord::acsUserId).orElseThrow();
        }
    }

    private static LifecycleEvent at(EventType type, String date) {
        return Events.event(type, "alice", Instant.parse(date + "T09:00:00Z"));
    }

    private static List<Operation.Kind> kinds(Convergence.Plan plan) {
        return plan.steps().stream().map(Convergence.Step::kind).toList();
    }

    @Test
    void theIssuesReproductionALateOffboardingAfterALaterNothingCutsTheLeaverOff() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-01-06"));
        Convergence.Plan nothing = alice.handle(at(REINSTATED, "2026-02-18"));
        Convergence.Plan late = alice.handle(at(OFFBOARDED, "2026-01-24"));

        assertThat(nothing.verdict()).isEqualTo(Convergence.Verdict.APPLIED);
        assertThat(nothing.steps()).isEmpty();
        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.APPLIED_LATE);
        assertThat(kinds(late)).containsExactly(Operation.Kind.CUT_OFF);
        assertThat(late.record().state()).as("access cut, deletion pending").isEqualTo(PersonState.OFFBOARDED);
        assertThat(alice.record.orElseThrow().state()).as("once the deletion is done").isEqualTo(PersonState.DELETED);
        assertThat(alice.record.orElseThrow().acsUserId()).isEmpty();
        assertThat(late.record().lastEventTime()).as("the newest event stays the newest")
                .isEqualTo(Instant.parse("2026-02-18T09:00:00Z"));
    }

    @Test
    void anOffboardingCutsOffNowAndKeepsTheIdentityUntilItsDeletionIsDone() {
        Person alice = new Person(true);
        alice.handle(at(ONBOARDED, "2026-01-06"));
        String identity = alice.identity();

        Convergence.Plan offboarding = alice.handle(at(OFFBOARDED, "2026-01-24"));

        assertThat(kinds(offboarding)).containsExactly(Operation.Kind.CUT_OFF);
        assertThat(offboarding.steps().get(0).outcome()).contains(OutcomeType.OFFBOARDED);
        assertThat(offboarding.record().state()).isEqualTo(PersonState.OFFBOARDED);
        assertThat(offboarding.record().acsUserId()).contains(identity);
    }

    @Test
    void anOnboardingWhileTheDeletionIsPendingReversesItWithTheSameIdentity() {
        Person alice = new Person(true);
        alice.handle(at(ONBOARDED, "2026-01-06"));
        String identity = alice.identity();
        alice.handle(at(OFFBOARDED, "2026-01-24"));

        Convergence.Plan reversal = alice.handle(at(ONBOARDED, "2026-01-25"));

        assertThat(reversal.reversal()).isTrue();
        assertThat(reversal.steps()).as("no new identity, nothing to revoke").isEmpty();
        assertThat(reversal.record().state()).isEqualTo(PersonState.ACTIVE);
        assertThat(reversal.record().acsUserId()).contains(identity);
        assertThat(reversal.outcomeNow()).contains(OutcomeType.REINSTATED);
        assertThat(alice.handle(at(OFFBOARDED, "2026-02-10")).steps()).as("the same identity is cut off again")
                .extracting(Convergence.Step::acsUserId).containsExactly(Optional.of(identity));
    }

    @Test
    void whileTheDeletionIsPendingSuspensionsAndReinstatementsChangeNothing() {
        Person alice = new Person(true);
        alice.handle(at(ONBOARDED, "2026-01-06"));
        alice.handle(at(OFFBOARDED, "2026-01-24"));

        Convergence.Plan suspended = alice.handle(at(SUSPENDED, "2026-01-25"));
        Convergence.Plan reinstated = alice.handle(at(REINSTATED, "2026-01-26"));

        assertThat(suspended.steps()).isEmpty();
        assertThat(reinstated.steps()).as("a leaver comes back only through onboarded").isEmpty();
        assertThat(reinstated.record().state()).isEqualTo(PersonState.OFFBOARDED);
    }

    @Test
    void aReHireAfterTheDeletionIsDoneMakesANewIdentity() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-01-06"));
        String leavers = alice.identity();
        alice.handle(at(OFFBOARDED, "2026-01-24"));
        assertThat(alice.record.orElseThrow().state()).isEqualTo(PersonState.DELETED);

        Convergence.Plan rehire = alice.handle(at(ONBOARDED, "2026-03-01"));

        assertThat(kinds(rehire)).containsExactly(Operation.Kind.CREATE);
        assertThat(alice.identity()).isNotEqualTo(leavers);
    }

    @Test
    void aLateOnboardingAfterOffboardingChangesNothingAndIsStale() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-01-06"));
        alice.handle(at(OFFBOARDED, "2026-01-24"));

        Convergence.Plan late = alice.handle(at(ONBOARDED, "2026-01-10"));

        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.STALE);
        assertThat(late.steps()).isEmpty();
        assertThat(late.record().state()).isEqualTo(PersonState.DELETED);
    }

    @Test
    void aLateSuspensionOfSomeoneReinstatedSinceRevokesNothing() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-01-06"));
        alice.handle(at(REINSTATED, "2026-02-18"));

        Convergence.Plan late = alice.handle(at(SUSPENDED, "2026-01-24"));

        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.STALE);
        assertThat(late.steps()).isEmpty();
        assertThat(late.record().state()).isEqualTo(PersonState.ACTIVE);
    }

    /**
     * The newest event is either the latest reset or the latest suspension or reinstatement after it, so a late
     * suspension or reinstatement is never the one that decides: only late onboardings and offboardings can be
     * applied late.
     */
    @Test
    void aLateSuspensionNeverDecidesButASuspensionInOrderRevokesAgain() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-01-06"));
        alice.handle(at(SUSPENDED, "2026-01-20"));

        Convergence.Plan late = alice.handle(at(SUSPENDED, "2026-01-10"));
        Convergence.Plan inOrder = alice.handle(at(SUSPENDED, "2026-02-01"));

        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.STALE);
        assertThat(late.steps()).isEmpty();
        assertThat(kinds(inOrder)).as("the table's revoke-again cell").containsExactly(Operation.Kind.REVOKE);
    }

    @Test
    void aLateOnboardingOfSomeoneSuspendedBeforeTheirFirstEventGivesThemTheIdentityTimeOrderWould() {
        Person alice = new Person();
        alice.handle(at(SUSPENDED, "2026-01-20"));
        assertThat(alice.record.orElseThrow().acsUserId()).isEmpty();

        Convergence.Plan late = alice.handle(at(ONBOARDED, "2026-01-06"));

        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.APPLIED_LATE);
        assertThat(kinds(late)).as("onboarded then suspended: an identity, its tokens never issued")
                .containsExactly(Operation.Kind.CREATE);
        assertThat(late.steps().get(0).outcome()).as("no provisioning is announced for a suspended person").isEmpty();
        assertThat(late.record().state()).isEqualTo(PersonState.SUSPENDED);
    }

    @Test
    void aLateOffboardingBeforeARehireReplacesTheLeaversIdentityWithANewOne() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-01-06"));
        String leavers = alice.identity();
        alice.handle(at(ONBOARDED, "2026-03-01")); // the re-hire, arriving before the departure

        Convergence.Plan late = alice.handle(at(OFFBOARDED, "2026-02-01"));

        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.APPLIED_LATE);
        assertThat(kinds(late)).containsExactly(Operation.Kind.CUT_OFF, Operation.Kind.CREATE);
        assertThat(late.steps().get(0).acsUserId()).contains(leavers);
        assertThat(late.record().state()).isEqualTo(PersonState.ACTIVE);
        assertThat(alice.identity()).isNotEqualTo(leavers);
    }

    @Test
    void anIdentityRequestedAfterTheDepartureIsKeptWhenTheDepartureArrivesLate() {
        Person alice = new Person();
        alice.handle(at(ONBOARDED, "2026-03-01")); // the re-hire arrives first: its identity serves March on
        String rehires = alice.identity();
        alice.handle(at(ONBOARDED, "2026-01-06"));

        Convergence.Plan late = alice.handle(at(OFFBOARDED, "2026-02-01"));

        assertThat(late.verdict()).isEqualTo(Convergence.Verdict.STALE);
        assertThat(late.steps()).isEmpty();
        assertThat(alice.identity()).isEqualTo(rehires);
    }

    @Test
    void anEventAsOldAsTheNewestIsNotLateAndTiesAreOrderedBySourceThenId() {
        Instant time = Instant.parse("2026-01-06T09:00:00Z");
        LifecycleEvent onboarding = new LifecycleEvent(new EventKey("/hr/b", "1"), ONBOARDED, "user.onboarded",
                "alice", time, Optional.empty());
        LifecycleEvent offboarding = new LifecycleEvent(new EventKey("/hr/a", "9"), OFFBOARDED, "user.offboarded",
                "alice", time, Optional.empty());
        Person inOneOrder = new Person();
        inOneOrder.handle(onboarding);
        Convergence.Plan second = inOneOrder.handle(offboarding);
        Person inTheOther = new Person();
        inTheOther.handle(offboarding);
        inTheOther.handle(onboarding);

        assertThat(second.verdict()).as("/hr/a sorts before /hr/b: the offboarding is older")
                .isEqualTo(Convergence.Verdict.STALE);
        assertThat(inOneOrder.record.orElseThrow().state()).isEqualTo(PersonState.ACTIVE);
        assertThat(inTheOther.record.orElseThrow().state()).isEqualTo(PersonState.ACTIVE);
    }

    @Test
    void aPersonRecordedBeforeHistoriesWereKeptConvergesFromTheirRecord() {
        PersonRecord suspended = new PersonRecord("alice", Optional.of("8:acs:old"), PersonState.SUSPENDED,
                Instant.parse("2026-01-20T09:00:00Z"), new EventKey("/hr/test", "old"));
        Convergence.Held held = new Convergence.Held(Optional.of(suspended), Optional.empty(), false,
                PersonTimeline.EMPTY);

        Convergence.Plan lateReinstatement = Convergence.plan(held, at(REINSTATED, "2026-01-10"));
        Convergence.Plan reinstatement = Convergence.plan(held, at(REINSTATED, "2026-02-01"));

        assertThat(lateReinstatement.verdict()).isEqualTo(Convergence.Verdict.STALE);
        assertThat(lateReinstatement.record().acsUserId()).as("the identity is kept").contains("8:acs:old");
        assertThat(reinstatement.record().state()).isEqualTo(PersonState.ACTIVE);
        assertThat(reinstatement.steps()).as("reinstated with the identity it kept").isEmpty();
    }

    /**
     * The bound: whatever arrives, the kept history is at most four events, and folding it gives what folding
     * every event would. A person with thousands of events folds in microseconds.
     */
    @Test
    void thousandsOfEventsInAnyOrderKeepAtMostFourAndFoldAsTheWholeHistoryWouldInWellUnderAMillisecond() {
        Random random = new Random(10);
        List<PersonTimeline.Entry> all = new ArrayList<>();
        PersonTimeline timeline = PersonTimeline.EMPTY;
        EventType[] types = EventType.values();
        long folding = 0;
        int events = 5_000;
        for (int i = 0; i < events; i++) {
            PersonTimeline.Entry entry = new PersonTimeline.Entry(new EventPosition(
                    Events.T0.plusSeconds(random.nextInt(1_000_000)), new EventKey("/hr/test", "e" + i)),
                    types[random.nextInt(types.length)]);
            all.add(entry);
            long start = System.nanoTime();
            timeline = timeline.with(entry);
            Optional<PersonTimeline.Desired> desired = timeline.fold();
            folding += System.nanoTime() - start;

            assertThat(timeline.events()).hasSizeLessThanOrEqualTo(4);
            if (i % 97 == 0 || i == events - 1) {
                assertThat(desired).as("after " + (i + 1) + " events").isEqualTo(PersonTimeline.fold(all));
            }
        }
        assertThat(folding / events).as("mean nanoseconds to insert and fold").isLessThan(100_000);
    }
}
