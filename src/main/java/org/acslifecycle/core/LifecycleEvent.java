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
 * @param trace         the trace its effects join: the publisher's as the message carried it, then, once intake
 *                      has it, intake's own span, so every operation it records continues that trace
 */
public record LifecycleEvent(EventKey key, EventType type, String publisherType, String subject, Instant time,
        Optional<String> reason, Optional<Instant> effectiveTime, Optional<TraceContext> trace) {

    /** An event that carries no trace context. */
    public LifecycleEvent(EventKey key, EventType type, String publisherType, String subject, Instant time,
            Optional<String> reason, Optional<Instant> effectiveTime) {
        this(key, type, publisherType, subject, time, reason, effectiveTime, Optional.empty());
    }

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
        Objects.requireNonNull(trace, "trace");
    }

    /** The same event in another trace. */
    public LifecycleEvent withTrace(Optional<TraceContext> newTrace) {
        return new LifecycleEvent(key, type, publisherType, subject, time, reason, effectiveTime, newTrace);
    }

    /** When the change takes effect: its effective time, else when it happened. */
    public Instant effective() {
        return effectiveTime.orElse(time);
    }

    /**
     * Whether the publisher dated the change after {@code now}: then it is the person's pending change. Only
     * {@code data.effectiveTime} schedules: an event whose {@code time} is ahead of our clock (a publisher's skew) is
     * applied at once.
     */
    public boolean isFutureDated(Instant now) {
        return effectiveTime.filter(at -> at.isAfter(now)).isPresent();
    }
}
