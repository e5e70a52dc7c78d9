package org.acslifecycle.core;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The (event × state) table of DESIGN §3 as a pure function. Duplicates are not decided here: they are
 * a property of the event log, which the ledger keeps.
 */
public final class LifecycleRules {

    private LifecycleRules() {}

    public static Decision decide(Optional<PersonRecord> current, LifecycleEvent event) {
        if (current.isPresent() && isOlderThanLastApplied(event, current.get())) {
            return new Decision.Stale(current.get());
        }
        Optional<PersonState> from = current.map(PersonRecord::state);
        Optional<String> identity = current.flatMap(PersonRecord::acsUserId);
        return switch (event.type()) {
            case ONBOARDED -> onboarded(from, identity);
            case SUSPENDED -> suspended(from, identity);
            case REINSTATED -> reinstated(from, identity);
            case OFFBOARDED -> offboarded(from, identity);
        };
    }

    /**
     * Ledger timestamps keep microseconds (PostgreSQL's precision), so the comparison does too: an event
     * is stale only when it is strictly older; one with the same time is applied.
     */
    private static boolean isOlderThanLastApplied(LifecycleEvent event, PersonRecord record) {
        return event.time().truncatedTo(ChronoUnit.MICROS).isBefore(record.lastEventTime());
    }

    private static Decision onboarded(Optional<PersonState> from, Optional<String> identity) {
        if (from.isEmpty() || from.get() == PersonState.DELETED) {
            // No record, or a re-hire after offboarding: the old identity was deleted, so a new one.
            return transition(from, PersonState.ACTIVE, Effect.CREATE);
        }
        return activate(from, identity);
    }

    private static Decision reinstated(Optional<PersonState> from, Optional<String> identity) {
        if (from.isEmpty()) {
            return transition(from, PersonState.ACTIVE, Effect.CREATE);
        }
        if (from.get() == PersonState.DELETED) {
            // A leaver comes back only through onboarded.
            return transition(from, PersonState.DELETED, Effect.NONE);
        }
        return activate(from, identity);
    }

    /** ACTIVE stays as it is; SUSPENDED becomes ACTIVE, with an identity if it has none. */
    private static Decision activate(Optional<PersonState> from, Optional<String> identity) {
        Effect effect = identity.isPresent() ? Effect.NONE : Effect.CREATE;
        return transition(from, PersonState.ACTIVE, effect);
    }

    private static Decision suspended(Optional<PersonState> from, Optional<String> identity) {
        if (from.isPresent() && from.get() == PersonState.DELETED) {
            return transition(from, PersonState.DELETED, Effect.NONE);
        }
        // Revoking again for an already SUSPENDED person is cheap and safe; no identity, nothing to revoke.
        Effect effect = identity.<Effect>map(Effect.RevokeTokens::new).orElse(Effect.NONE);
        return transition(from, PersonState.SUSPENDED, effect);
    }

    private static Decision offboarded(Optional<PersonState> from, Optional<String> identity) {
        if (from.isPresent() && from.get() == PersonState.DELETED) {
            return transition(from, PersonState.DELETED, Effect.NONE);
        }
        Effect effect = identity.<Effect>map(Effect.DeleteIdentity::new).orElse(Effect.NONE);
        return transition(from, PersonState.DELETED, effect);
    }

    private static Decision transition(Optional<PersonState> from, PersonState to, Effect effect) {
        return new Decision.Transition(from, to, effect);
    }
}
