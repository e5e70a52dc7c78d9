package org.acslifecycle.core;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.REINSTATED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.PersonState.ACTIVE;
import static org.acslifecycle.core.PersonState.DELETED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the (event × state) table of DESIGN §3: one event on one state, whatever its time. */
class LifecycleRulesTest {

    private static final String ID = "8:acs:existing";

    /** The starting record of a cell: none, or a state with or without an identity. */
    enum Start {
        NO_RECORD(null, false),
        ACTIVE_WITH_IDENTITY(ACTIVE, true),
        SUSPENDED_WITH_IDENTITY(PersonState.SUSPENDED, true),
        SUSPENDED_WITHOUT_IDENTITY(PersonState.SUSPENDED, false),
        OFFBOARDED_DELETION_PENDING(PersonState.OFFBOARDED, true),
        DELETED_TOMBSTONE(DELETED, false);

        final PersonState state;
        final boolean hasIdentity;

        Start(PersonState state, boolean hasIdentity) {
            this.state = state;
            this.hasIdentity = hasIdentity;
        }

        Optional<PersonRecord> record() {
            return state == null ? Optional.empty()
                    : Optional.of(Events.record(state, hasIdentity ? Optional.of(ID) : Optional.empty(), Events.T0));
        }
    }

    static Stream<Arguments> table() {
        Effect create = Effect.CREATE;
        Effect none = Effect.NONE;
        Effect revoke = new Effect.RevokeTokens(ID);
        Effect cutOff = new Effect.CutOff(ID);
        Effect reversal = new Effect.CancelDeletion(ID);
        PersonState offboarded = PersonState.OFFBOARDED;
        return Stream.of(
                // onboarded
                Arguments.of(ONBOARDED, Start.NO_RECORD, ACTIVE, create),
                Arguments.of(ONBOARDED, Start.ACTIVE_WITH_IDENTITY, ACTIVE, none),
                Arguments.of(ONBOARDED, Start.SUSPENDED_WITH_IDENTITY, ACTIVE, none),
                Arguments.of(ONBOARDED, Start.SUSPENDED_WITHOUT_IDENTITY, ACTIVE, create),
                Arguments.of(ONBOARDED, Start.OFFBOARDED_DELETION_PENDING, ACTIVE, reversal),
                Arguments.of(ONBOARDED, Start.DELETED_TOMBSTONE, ACTIVE, create),
                // suspended
                Arguments.of(SUSPENDED, Start.NO_RECORD, PersonState.SUSPENDED, none),
                Arguments.of(SUSPENDED, Start.ACTIVE_WITH_IDENTITY, PersonState.SUSPENDED, revoke),
                Arguments.of(SUSPENDED, Start.SUSPENDED_WITH_IDENTITY, PersonState.SUSPENDED, revoke),
                Arguments.of(SUSPENDED, Start.SUSPENDED_WITHOUT_IDENTITY, PersonState.SUSPENDED, none),
                Arguments.of(SUSPENDED, Start.OFFBOARDED_DELETION_PENDING, offboarded, none),
                Arguments.of(SUSPENDED, Start.DELETED_TOMBSTONE, DELETED, none),
                // reinstated
                Arguments.of(REINSTATED, Start.NO_RECORD, ACTIVE, create),
                Arguments.of(REINSTATED, Start.ACTIVE_WITH_IDENTITY, ACTIVE, none),
                Arguments.of(REINSTATED, Start.SUSPENDED_WITH_IDENTITY, ACTIVE, none),
                Arguments.of(REINSTATED, Start.SUSPENDED_WITHOUT_IDENTITY, ACTIVE, create),
                Arguments.of(REINSTATED, Start.OFFBOARDED_DELETION_PENDING, offboarded, none),
                Arguments.of(REINSTATED, Start.DELETED_TOMBSTONE, DELETED, none),
                // offboarded
                Arguments.of(OFFBOARDED, Start.NO_RECORD, DELETED, none),
                Arguments.of(OFFBOARDED, Start.ACTIVE_WITH_IDENTITY, offboarded, cutOff),
                Arguments.of(OFFBOARDED, Start.SUSPENDED_WITH_IDENTITY, offboarded, cutOff),
                Arguments.of(OFFBOARDED, Start.SUSPENDED_WITHOUT_IDENTITY, DELETED, none),
                Arguments.of(OFFBOARDED, Start.OFFBOARDED_DELETION_PENDING, offboarded, none),
                Arguments.of(OFFBOARDED, Start.DELETED_TOMBSTONE, DELETED, none));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2} with {3}")
    @MethodSource("table")
    void eachCellOfTheTableGivesItsStateAndEffect(EventType type, Start start, PersonState to, Effect effect) {
        Decision decision = LifecycleRules.decide(start.record(), Events.event(type, "alice", 5));

        assertThat(decision).isEqualTo(new Decision.Transition(Optional.ofNullable(start.state), to, effect));
    }

    // Whether an event is late or stale is no longer a cell of the table: ConvergenceTest covers it, on the
    // person's whole history (DESIGN §3, convergence).

    @Test
    void outcomesNameWhatChanged() {
        assertThat(outcome(ONBOARDED, Start.NO_RECORD)).contains(OutcomeType.PROVISIONED);
        assertThat(outcome(ONBOARDED, Start.DELETED_TOMBSTONE)).contains(OutcomeType.PROVISIONED);
        assertThat(outcome(REINSTATED, Start.SUSPENDED_WITHOUT_IDENTITY)).contains(OutcomeType.REINSTATED);
        assertThat(outcome(REINSTATED, Start.SUSPENDED_WITH_IDENTITY)).contains(OutcomeType.REINSTATED);
        assertThat(outcome(SUSPENDED, Start.ACTIVE_WITH_IDENTITY)).contains(OutcomeType.TOKENS_REVOKED);
        assertThat(outcome(OFFBOARDED, Start.ACTIVE_WITH_IDENTITY)).contains(OutcomeType.OFFBOARDED);
        assertThat(outcome(ONBOARDED, Start.OFFBOARDED_DELETION_PENDING)).contains(OutcomeType.REINSTATED);
        assertThat(outcome(SUSPENDED, Start.OFFBOARDED_DELETION_PENDING)).isEmpty();
        assertThat(outcome(OFFBOARDED, Start.NO_RECORD)).contains(OutcomeType.DELETED);
        assertThat(outcome(ONBOARDED, Start.ACTIVE_WITH_IDENTITY)).isEmpty();
        assertThat(outcome(OFFBOARDED, Start.DELETED_TOMBSTONE)).isEmpty();
        assertThat(outcome(REINSTATED, Start.DELETED_TOMBSTONE)).isEmpty();
    }

    private static Optional<OutcomeType> outcome(EventType type, Start start) {
        return ((Decision.Transition) LifecycleRules.decide(start.record(), Events.event(type, "alice", 5))).outcome();
    }
}
