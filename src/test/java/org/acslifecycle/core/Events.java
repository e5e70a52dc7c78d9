package org.acslifecycle.core;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Test data: lifecycle events for one person at given times. */
public final class Events {

    public static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    public static LifecycleEvent event(EventType type, String subject, Instant time) {
        return new LifecycleEvent(new EventKey("/hr/test", "evt-" + IDS.incrementAndGet()), type,
                type.cloudEventType(), subject, time, Optional.of("test " + type));
    }

    /** An event at {@code time} that takes effect at {@code effective} (DESIGN §3, effective dating). */
    public static LifecycleEvent effectiveAt(EventType type, String subject, Instant time, Instant effective) {
        return new LifecycleEvent(new EventKey("/hr/test", "evt-" + IDS.incrementAndGet()), type,
                type.cloudEventType(), subject, time, Optional.of("test " + type), Optional.of(effective));
    }

    /** An event at {@code T0 + minutes}. */
    public static LifecycleEvent event(EventType type, String subject, int minutes) {
        return event(type, subject, T0.plusSeconds(60L * minutes));
    }

    public static PersonRecord record(PersonState state, Optional<String> identity, Instant lastTime) {
        return new PersonRecord("alice", identity, state, lastTime, new EventKey("/hr/test", "earlier"));
    }
}
