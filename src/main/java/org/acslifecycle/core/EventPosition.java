package org.acslifecycle.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;

/**
 * An event's place in its person's history (DESIGN §3, convergence): {@code time} order, ties broken by source,
 * then id, so every replica and every arrival order sorts one person's events the same way. Times keep
 * microseconds, the ledger's precision, so a position read back from the ledger equals the one written.
 */
public record EventPosition(Instant time, EventKey key) implements Comparable<EventPosition> {

    private static final Comparator<EventPosition> ORDER = Comparator.comparing(EventPosition::time)
            .thenComparing(p -> p.key().source()).thenComparing(p -> p.key().id());

    public EventPosition {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(key, "key");
        time = time.truncatedTo(ChronoUnit.MICROS);
    }

    public static EventPosition of(LifecycleEvent event) {
        return new EventPosition(event.time(), event.key());
    }

    public boolean isBefore(EventPosition other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(EventPosition other) {
        return ORDER.compare(this, other);
    }
}
