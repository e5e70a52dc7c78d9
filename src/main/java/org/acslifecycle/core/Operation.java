package org.acslifecycle.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.port.CreateRequest;

/**
 * One ACS operation in the journal (DESIGN §4): recorded by intake in the same transaction as the decision
 * that implies it, carried out later by the executor, visible until done.
 *
 * @param cause         the event whose decision asked for it: its outcome event is derived from it
 * @param effectiveTime when the change took effect in HR: the revocation lag counts from here
 * @param outcome       the outcome event to publish when ACS acknowledges it
 * @param createRequest a create's repeatability headers: assigned in the commit that counts its first attempt,
 *                      before any call, and sent unchanged by every later attempt; empty before that and for
 *                      other kinds
 * @param orphanSettled when an operator's {@code orphans delete} re-sent this create and dealt with the identity
 *                      ACS returned: from then on it can have left no orphan
 * @param trace         the trace of the intake that recorded it: the executor runs it later, on another thread
 *                      or replica, and continues that trace from here
 */
public record Operation(
        long id,
        String externalId,
        Kind kind,
        Optional<String> acsUserId,
        Instant notBefore,
        Status status,
        int attempts,
        Optional<String> lastError,
        EventKey cause,
        String causeType,
        Instant effectiveTime,
        Optional<OutcomeType> outcome,
        Instant createdAt,
        Optional<CreateRequest> createRequest,
        Optional<Instant> orphanSettled,
        Optional<TraceContext> trace) {

    public Operation {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(acsUserId, "acsUserId");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(causeType, "causeType");
        Objects.requireNonNull(effectiveTime, "effectiveTime");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createRequest, "createRequest");
        Objects.requireNonNull(orphanSettled, "orphanSettled");
        Objects.requireNonNull(trace, "trace");
    }

    /**
     * What the operation does, highest priority first. A suspension's revoke can only use the revoke budget,
     * an offboarding's cut-off can use either (a delete revokes too), so revokes go first and cut-offs take
     * whichever budget has room.
     */
    public enum Kind {
        /** Revoke the identity's tokens (a suspension). */
        REVOKE(40),
        /**
         * Cut an offboarded person's access: delete when the deletion is due (effective time + grace, no hold, no
         * breaker) and the delete budget has room, else revoke now and leave a DELETE for when it is due.
         */
        CUT_OFF(30),
        /** A new identity for the person. */
        CREATE(20),
        /** Delete an identity whose access is already cut. */
        DELETE(10);

        private final int priority;

        Kind(int priority) {
            this.priority = priority;
        }

        /** Higher runs first. */
        public int priority() {
            return priority;
        }
    }

    public enum Status {
        /** Still to do (or being done). */
        PENDING,
        /** ACS acknowledged it (or said it was already done). */
        DONE,
        /** ACS refused it for good (a permanent failure); an operator may retry or drop it. */
        FAILED,
        /** An operator gave up on it. */
        DROPPED,
        /** A later decision made it unnecessary before it ran. */
        CANCELLED
    }

    public boolean isOpen() {
        return status == Status.PENDING;
    }

    /** An open cut-off or deletion of this identity: what a reversal cancels. */
    public boolean isDeletionOf(Optional<String> identity) {
        return isOpen() && (kind == Kind.CUT_OFF || kind == Kind.DELETE) && identity.isPresent()
                && acsUserId.equals(identity);
    }

    /**
     * A person's deletion, which legal holds and the deletion breaker guard: a cut-off or a delete that carries an
     * outcome. A delete without one cleans up an identity nobody was given (a create whose result was not
     * needed): nothing of a person's is lost with it.
     */
    public boolean isPersonDeletion() {
        return (kind == Kind.CUT_OFF || kind == Kind.DELETE) && outcome.isPresent();
    }

    /**
     * A create with an attempt whose answer never reached the ledger (a crash, a time-out): ACS may hold an
     * identity nobody knows of. Every attempt but a recorded success counts, so this can over-report (a 429
     * made nothing), never under-report. A repeatable create's retries do not make a second identity where ACS
     * honours the headers; what remains is an attempt in flight when the create was cancelled or dropped, and an
     * ACS that ignores the headers. Settled ({@code orphans delete}) creates are no longer counted.
     */
    public boolean mayHaveOrphan() {
        return kind == Kind.CREATE && orphanSettled.isEmpty()
                && (status == Status.DONE ? attempts > 1 : attempts > 0);
    }

    /** What intake asks the journal to record; {@code trace} is the trace the operation continues. */
    public record Request(Kind kind, Optional<String> acsUserId, Instant notBefore, EventKey cause,
            String causeType, Instant effectiveTime, Optional<OutcomeType> outcome, Optional<TraceContext> trace) {
        public Request {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(acsUserId, "acsUserId");
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(causeType, "causeType");
            Objects.requireNonNull(effectiveTime, "effectiveTime");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(trace, "trace");
        }
    }
}
