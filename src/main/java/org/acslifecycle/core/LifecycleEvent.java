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
 * @param effectiveTime {@code data.effectiveTime}: when the change takes effect, if the publisher said (DESIGN §3,
 *                      effective dating); in the future, the change waits for it
 */
public record LifecycleEvent(EventKey key, EventType type, String publisherType, String subject, Instant time,
        Optional<String> reason, Optional<Instant> effectiveTime) {

    /** An event that takes effect when it happened. */
    public LifecycleEvent(EventKey key, EventType type, String publisherType, String subject, Instant time,
            Optional<String> reason) {
        this(key, type, publisherType, subject, time, reason, Optional.empty());
    }

    public LifecycleEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(publisherType, "publisherType");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(effectiveTime, "effectiveTime");
    }

    /** When the change takes effect: its effective time, else when it happened. */
    public Instant effective() {
        return effectiveTime.orElse(time);
    }

    /** Whether the change is to take effect after {@code now}: then it is the person's pending change. */
    public boolean isFutureDated(Instant now) {
        return effective().isAfter(now);
    }
}
