package org.acslifecycle.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger knows of one person.
 *
 * @param externalId    the person's id in HR/IAM (the events' subject)
 * @param acsUserId     the current ACS identity, if the person has one
 * @param state         ACTIVE, SUSPENDED, OFFBOARDED (holding the identity until its deletion) or DELETED
 * @param lastEventTime {@code time} of the newest event of the person's history: an older one is late, and is
 *                      folded into the history in time order (DESIGN §3, convergence)
 * @param lastEventKey  that newest event
 */
public record PersonRecord(
        String externalId, Optional<String> acsUserId, PersonState state, Instant lastEventTime, EventKey lastEventKey) {

    public PersonRecord {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(acsUserId, "acsUserId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastEventTime, "lastEventTime");
        Objects.requireNonNull(lastEventKey, "lastEventKey");
    }

    /** Where the person's newest event stands in time order. */
    public EventPosition lastEvent() {
        return new EventPosition(lastEventTime, lastEventKey);
    }

    /** The record once the executor's deletion of its identity is done: a leaver becomes the tombstone. */
    public PersonRecord identityDeleted() {
        return new PersonRecord(externalId, Optional.empty(), state == PersonState.OFFBOARDED ? PersonState.DELETED : state,
                lastEventTime, lastEventKey);
    }
}
