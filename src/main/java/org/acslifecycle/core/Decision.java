package org.acslifecycle.core;

import java.util.Optional;

/**
 * What the lifecycle rules make of one event given the person's state (DESIGN §3). Whether an event is late
 * or stale is not a cell of the table: {@link Convergence} decides that from the person's whole history.
 */
public sealed interface Decision {

    /**
     * The person moves from {@code from} (empty: no record yet) to {@code to}, after {@code effect} is done in
     * ACS.
     */
    record Transition(Optional<PersonState> from, PersonState to, Effect effect) implements Decision {

        /** The outcome event to publish, if the transition changed anything worth telling. */
        public Optional<OutcomeType> outcome() {
            if (effect instanceof Effect.CreateIdentity) {
                return Optional.of(from.equals(Optional.of(PersonState.SUSPENDED))
                        ? OutcomeType.REINSTATED : OutcomeType.PROVISIONED);
            }
            if (effect instanceof Effect.RevokeTokens) {
                return Optional.of(OutcomeType.TOKENS_REVOKED);
            }
            if (effect instanceof Effect.CutOff) {
                return Optional.of(OutcomeType.OFFBOARDED);
            }
            if (to == PersonState.DELETED && !from.equals(Optional.of(PersonState.DELETED))) {
                return Optional.of(OutcomeType.DELETED);
            }
            if (to == PersonState.ACTIVE && from.isPresent()
                    && (from.get() == PersonState.SUSPENDED || from.get() == PersonState.OFFBOARDED)) {
                return Optional.of(OutcomeType.REINSTATED);
            }
            return Optional.empty();
        }
    }
}
