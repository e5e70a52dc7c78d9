package org.acslifecycle.core;

import java.util.Optional;

/**
 * What a transition asks of ACS. The rules decide it; intake turns it into a journal operation, the one place
 * an effect is branched on.
 */
public sealed interface Effect {

    /** The journal operation that carries the effect out, if it needs ACS at all. */
    Optional<Operation.Kind> operation();

    /** The identity the operation acts on; empty for a create (and for no effect). */
    Optional<String> target();

    /** A new identity for the person. */
    record CreateIdentity() implements Effect {
        public Optional<Operation.Kind> operation() {
            return Optional.of(Operation.Kind.CREATE);
        }

        public Optional<String> target() {
            return Optional.empty();
        }
    }

    /** Revoke every token of the person's identity; the identity stays. */
    record RevokeTokens(String acsUserId) implements Effect {
        public Optional<Operation.Kind> operation() {
            return Optional.of(Operation.Kind.REVOKE);
        }

        public Optional<String> target() {
            return Optional.of(acsUserId);
        }
    }

    /**
     * Cut the person's access now (a revoke, or the delete itself when it is due at once) and delete the identity
     * when the grace period ends, unless a legal hold or the deletion breaker holds it.
     */
    record CutOff(String acsUserId) implements Effect {
        public Optional<Operation.Kind> operation() {
            return Optional.of(Operation.Kind.CUT_OFF);
        }

        public Optional<String> target() {
            return Optional.of(acsUserId);
        }
    }

    /** Reversal: a leaver whose deletion is still pending comes back with the same identity. */
    record CancelDeletion(String acsUserId) implements Effect {
        public Optional<Operation.Kind> operation() {
            return Optional.empty();
        }

        public Optional<String> target() {
            return Optional.of(acsUserId);
        }
    }

    /** Only the ledger changes. */
    record None() implements Effect {
        public Optional<Operation.Kind> operation() {
            return Optional.empty();
        }

        public Optional<String> target() {
            return Optional.empty();
        }
    }

    Effect NONE = new None();
    Effect CREATE = new CreateIdentity();
}
