package org.acslifecycle.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A durable note, written before an ACS call, of what the worker is about to do. An intent left
 * {@link Status#PENDING} or {@link Status#ABANDONED} means a crash or failure came between the call and
 * recording its result; for {@link Action#CREATE_IDENTITY} without an ACS user id that is where an orphan
 * identity may exist in ACS.
 */
public record Intent(
        long id,
        String externalId,
        EventKey eventKey,
        Action action,
        Optional<String> acsUserId,
        Status status,
        Instant createdAt,
        Optional<String> note) {

    public enum Action {
        CREATE_IDENTITY,
        REVOKE_TOKENS,
        DELETE_IDENTITY;
    }

    public enum Status {
        /** Written before the call; not yet known to have finished. */
        PENDING,
        /** The call and its result are recorded. */
        COMPLETED,
        /** ACS refused the call: nothing happened there. */
        FAILED,
        /** A later attempt took over; the call's outcome in ACS is unknown (see {@link #mayHaveOrphan()}). */
        ABANDONED
    }

    public boolean isForCreatedIdentity(EventKey key) {
        return action == Action.CREATE_IDENTITY && acsUserId.isPresent() && eventKey.equals(key);
    }

    /** A create whose result never reached the ledger: ACS may hold an identity nobody knows of. */
    public boolean mayHaveOrphan() {
        return action == Action.CREATE_IDENTITY && status != Status.COMPLETED && status != Status.FAILED;
    }
}
