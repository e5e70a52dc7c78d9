package org.acslifecycle.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated user-lifecycle event. Only {@code core.event.EventContract} makes these from
 * untrusted input, so every instance already satisfies DESIGN §2.
 *
 * @param key           source + id, the de-duplication key
 * @param type          the canonical type
 * @param publisherType the type as the publisher wrote it (differs from the canonical one when mapped)
 * @param subject       the person's external id
 * @param time          when the change happened in the source system; orders events per person
 * @param reason        {@code data.reason}, recorded in the audit trail
 */
public record LifecycleEvent(
        EventKey key, EventType type, String publisherType, String subject, Instant time, Optional<String> reason) {

    public LifecycleEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(publisherType, "publisherType");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
    }
}
