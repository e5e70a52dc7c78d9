package org.acslifecycle.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.EventPosition;
import org.acslifecycle.core.HandledEvent;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonTimeline;

/**
 * Work on one person under that person's lock. Changes become durable together at {@link #commit()};
 * closing without a commit discards them. Intent methods (the operators' direct ACS calls) are the
 * exception: they are durable at once, because they must survive a crash that loses the rest.
 */
public interface PersonUnitOfWork extends AutoCloseable {

    Optional<PersonRecord> record();

    /** How this event was handled before (applied or found stale), if it was. */
    Optional<HandledEvent> handled(EventKey key);

    void save(PersonRecord record);

    /** The person's compacted event history (DESIGN §3, convergence); empty for a person never seen. */
    PersonTimeline timeline();

    /** Replaces the person's history; after {@link #save}, as the person's row must exist. */
    void saveTimeline(PersonTimeline timeline);

    /** The newest event of the history when the identity held (or being created) was requested. */
    Optional<EventPosition> identitySince();

    /** After {@link #save}: the request point of the identity held or being created, empty for none. */
    void saveIdentitySince(Optional<EventPosition> since);

    /** The person's pending change: a future-dated event waiting for its effective time (DESIGN §3). */
    Optional<LifecycleEvent> pendingChange();

    /** Replaces the pending change; empty clears it. */
    void savePendingChange(Optional<LifecycleEvent> change);

    /** Sets only the person's current ACS identity (the executor's record of what ACS holds). */
    void saveIdentity(Optional<String> acsUserId);

    void markHandled(EventKey key, String subject, AuditEntry.Outcome outcome, Optional<OutcomeType> outcomeType);

    void audit(AuditEntry entry);

    // The journal of ACS operations (DESIGN §4).

    /** The person's operations still to do, highest priority first, then oldest first. */
    List<Operation> openOperations();

    /** One of the person's operations, in whatever status. */
    Optional<Operation> operation(long id);

    Operation record(Operation.Request request);

    /**
     * An attempt begins: counted before the call, so a crash during it is known (a create's orphan window). A
     * create's first attempt also gets its {@link Operation#createRequest()} here, in the same commit, so every
     * later attempt (after a crash too) repeats the same request.
     */
    Operation beginAttempt(Operation operation);

    /** An operator has dealt with whatever identity this create may have left in ACS ({@code orphans delete}). */
    void settleOrphan(Operation operation);

    /** The attempt failed and will be repeated, not before {@code notBefore}. */
    void retryLater(Operation operation, Instant notBefore, String error);

    /** DONE, FAILED, DROPPED or CANCELLED, with a note saying why. */
    void close(Operation operation, Operation.Status status, String note);

    /** CANCELLED: a later decision made it unnecessary. */
    void cancel(Operation operation, String why);

    /** An operation becomes another: an offboarding cut off by a revoke still owes its delete. */
    void convert(Operation operation, Operation.Kind kind, Instant notBefore);

    /** A closed operation back to PENDING, due at once (an operator's retry). */
    void reopen(Operation operation, Instant notBefore);

    // The operators' direct ACS calls, through intents.

    /** The oldest intent on this person still {@code PENDING}: left by a crash or a failed call. */
    Optional<Intent> pendingIntent();

    /** Durable at once. */
    Intent recordIntent(EventKey key, Intent.Action action, Optional<String> acsUserId);

    /** Durable at once: the identity ACS created for this intent, before anything else is recorded. */
    Intent recordCreatedIdentity(Intent intent, String acsUserId);

    /** Durable at once: the intent will not complete; {@code status} is FAILED or ABANDONED. */
    void close(Intent intent, Intent.Status status, String note);

    void complete(Intent intent);

    void commit();

    /** Releases the lock; without a commit, the unit's changes (not its intents) are discarded. */
    @Override
    void close();
}
