package org.acslifecycle.core;

import java.util.Optional;

/** What the lifecycle rules make of one event given the person's record (DESIGN §3). */
public sealed interface Decision {

    /** The event is older than the last applied one: acknowledged and audited, no effect. */
    record Stale(PersonRecord current) implements Decision {}

    /**
     * The event applies: the person moves from {@code from} (empty: no record yet) to {@code to}, after
     * {@code effect} is done in ACS. A transition with no effect and no change of state is still applied:
     * it advances the record's last event, so an even older event that arrives later is stale.
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
            if (to == PersonState.DELETED && !from.equals(Optional.of(PersonState.DELETED))) {
                return Optional.of(OutcomeType.DELETED);
            }
            if (to == PersonState.ACTIVE && from.equals(Optional.of(PersonState.SUSPENDED))) {
                return Optional.of(OutcomeType.REINSTATED);
            }
            return Optional.empty();
        }
    }
}
