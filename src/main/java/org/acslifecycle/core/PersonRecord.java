package org.acslifecycle.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger knows of one person.
 *
 * @param externalId    the person's id in HR/IAM (the events' subject)
 * @param acsUserId     the current ACS identity, if the person has one
 * @param state         ACTIVE, SUSPENDED or DELETED
 * @param lastEventTime {@code time} of the last applied event: older events are stale
 * @param lastEventKey  the last applied event
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
}
