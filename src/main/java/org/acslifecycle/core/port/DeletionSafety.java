package org.acslifecycle.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.Operation;

/**
 * What keeps a due deletion — the one irreversible effect — from happening (DESIGN §3): a legal hold on the
 * person, or the deletion breaker, open when the deletions falling due in its window look like a wrong feed.
 * Revocations never ask. Backed by the ledger, so every replica and every operator command sees the same.
 */
public interface DeletionSafety {

    /** An operator's legal hold on one person. */
    record LegalHold(String externalId, String reason, String operator, Instant placedAt) {
        public LegalHold {
            Objects.requireNonNull(externalId, "externalId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(placedAt, "placedAt");
        }
    }

    /** Whether a due deletion may go ahead now. */
    sealed interface Gate {
        /** Go ahead. */
        record Open() implements Gate {}

        /** The person is on legal hold: wait until it is lifted. */
        record OnHold(LegalHold hold) implements Gate {}

        /**
         * The breaker holds it until an operator releases or cancels it.
         *
         * @param newlyHeld this is the first time it is held: tell of it once ({@code identity.deletion-held})
         */
        record Breaker(String why, boolean newlyHeld) implements Gate {}
    }

    Gate OPEN = new Gate.Open();

    /** Asked by the executor for a person's deletion that is due; a breaker-held one is marked held. */
    Gate check(Operation deletion, Instant now);

    /** Why the breaker is open (for readiness and the metric), or empty when it is closed. */
    Optional<String> breakerOpen(Instant now);

    /** How many deletions the breaker holds now. */
    int heldCount();

    /** The pending deletions the breaker holds, oldest first. */
    List<Operation> heldByBreaker();

    /**
     * Releases the breaker's hold on these pending deletions (the operator's decision, recorded with them): they
     * go ahead, and no longer count against the breaker.
     */
    void release(List<Operation> deletions, String operator, String reason, Instant now);

    Optional<LegalHold> hold(String externalId);

    List<LegalHold> holds();

    /** Places (or replaces) a hold. */
    void placeHold(LegalHold hold);

    /** Lifts a hold; false when there was none. */
    boolean liftHold(String externalId);
}
