package org.acslifecycle.core.port;

import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.HandledEvent;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;

/**
 * Work on one person under that person's lock. Changes made through {@link #save}, {@link #markHandled},
 * {@link #audit} and {@link #complete} become durable together at {@link #commit()}; closing without a
 * commit discards them. Intent methods are the exception: they are durable at once, because they must
 * survive a crash that loses the rest.
 */
public interface PersonUnitOfWork extends AutoCloseable {

    Optional<PersonRecord> record();

    /** How this event was handled before (applied or found stale), if it was. */
    Optional<HandledEvent> handled(EventKey key);

    /** The oldest intent on this person still {@code PENDING}: left by a crash or a failed call. */
    Optional<Intent> pendingIntent();

    /** Durable at once. */
    Intent recordIntent(EventKey key, Intent.Action action, Optional<String> acsUserId);

    /** Durable at once: the identity ACS created for this intent, before anything else is recorded. */
    Intent recordCreatedIdentity(Intent intent, String acsUserId);

    /** Durable at once: the intent will not complete; {@code status} is FAILED or ABANDONED. */
    void close(Intent intent, Intent.Status status, String note);

    void save(PersonRecord record);

    void markHandled(EventKey key, String subject, AuditEntry.Outcome outcome, Optional<OutcomeType> outcomeType);

    void audit(AuditEntry entry);

    void complete(Intent intent);

    void commit();

    /** Releases the lock; without a commit, the unit's changes (not its intents) are discarded. */
    @Override
    void close();
}
