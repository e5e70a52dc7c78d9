package org.acslifecycle.core;

import java.util.Optional;

/**
 * The (event × state) table of DESIGN §3 as a pure function: one event applied to one state. Neither
 * duplicates nor order are decided here: the ledger keeps the event log, and {@link PersonTimeline} folds this
 * table over a person's events in time order, whatever order they arrived in ({@link Convergence}).
 */
public final class LifecycleRules {

    private LifecycleRules() {}

    /** The cell for this event on the person's record (no record: the first column). */
    public static Decision.Transition decide(Optional<PersonRecord> current, LifecycleEvent event) {
        return decide(current.map(PersonRecord::state), current.flatMap(PersonRecord::acsUserId), event.type());
    }

    /** The cell for an event of {@code type} on a person in {@code from} holding {@code identity}. */
    public static Decision.Transition decide(Optional<PersonState> from, Optional<String> identity, EventType type) {
        return switch (type) {
            case ONBOARDED -> (Decision.Transition) onboarded(from, identity);
            case SUSPENDED -> (Decision.Transition) suspended(from, identity);
            case REINSTATED -> (Decision.Transition) reinstated(from, identity);
            case OFFBOARDED -> (Decision.Transition) offboarded(from, identity);
        };
    }

    private static Decision onboarded(Optional<PersonState> from, Optional<String> identity) {
        if (from.isEmpty() || from.get() == PersonState.DELETED) {
            // No record, or a re-hire after the deletion: the old identity is gone, so a new one.
            return transition(from, PersonState.ACTIVE, Effect.CREATE);
        }
        if (from.get() == PersonState.OFFBOARDED) {
            // Reversal: the deletion is still pending, so the leaver comes back with the same identity.
            return transition(from, PersonState.ACTIVE,
                    identity.<Effect>map(Effect.CancelDeletion::new).orElse(Effect.CREATE));
        }
        return activate(from, identity);
    }

    private static Decision reinstated(Optional<PersonState> from, Optional<String> identity) {
        if (from.isEmpty()) {
            return transition(from, PersonState.ACTIVE, Effect.CREATE);
        }
        if (gone(from)) {
            // A leaver comes back only through onboarded.
            return transition(from, from.get(), Effect.NONE);
        }
        return activate(from, identity);
    }

    /** ACTIVE stays as it is; SUSPENDED becomes ACTIVE, with an identity if it has none. */
    private static Decision activate(Optional<PersonState> from, Optional<String> identity) {
        Effect effect = identity.isPresent() ? Effect.NONE : Effect.CREATE;
        return transition(from, PersonState.ACTIVE, effect);
    }

    private static Decision suspended(Optional<PersonState> from, Optional<String> identity) {
        if (gone(from)) {
            return transition(from, from.get(), Effect.NONE);
        }
        // Revoking again for an already SUSPENDED person is cheap and safe; no identity, nothing to revoke.
        Effect effect = identity.<Effect>map(Effect.RevokeTokens::new).orElse(Effect.NONE);
        return transition(from, PersonState.SUSPENDED, effect);
    }

    /** Cut off now, deletion pending (OFFBOARDED); without an identity there is nothing to delete: the tombstone. */
    private static Decision offboarded(Optional<PersonState> from, Optional<String> identity) {
        if (gone(from)) {
            return transition(from, from.get(), Effect.NONE);
        }
        return identity.map(id -> transition(from, PersonState.OFFBOARDED, new Effect.CutOff(id)))
                .orElseGet(() -> transition(from, PersonState.DELETED, Effect.NONE));
    }

    /** Left: offboarded (deletion pending) or deleted. */
    private static boolean gone(Optional<PersonState> from) {
        return from.isPresent() && (from.get() == PersonState.OFFBOARDED || from.get() == PersonState.DELETED);
    }

    private static Decision transition(Optional<PersonState> from, PersonState to, Effect effect) {
        return new Decision.Transition(from, to, effect);
    }
}
