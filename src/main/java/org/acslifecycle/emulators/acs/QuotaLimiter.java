package org.acslifecycle.emulators.acs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The service limits per operation (1000 or 500 requests per 30 s) as a sliding-window log. Only admitted requests
 * count: the docs say every request accrues, but then a {@code Retry-After} could never be honest, and the point
 * here is to test clients that honour it. The window is scaled by a factor so tests need not wait 30 s.
 */
final class QuotaLimiter {

    private final Duration window;
    private final Map<Operation, Deque<Instant>> admitted = new EnumMap<>(Operation.class);

    QuotaLimiter(double windowFactor) {
        this.window = Duration.ofMillis(Math.max(1, Math.round(30_000 * windowFactor)));
    }

    /** Admits the request, or says how long until it would be admitted. */
    synchronized Optional<Duration> tryAcquire(Operation operation, Instant now) {
        if (operation == Operation.UNKNOWN) {
            return Optional.empty();
        }
        Deque<Instant> log = admitted.computeIfAbsent(operation, o -> new ArrayDeque<>());
        Instant windowStart = now.minus(window);
        while (!log.isEmpty() && !log.peekFirst().isAfter(windowStart)) {
            log.pollFirst();
        }
        if (log.size() >= operation.limitPer30Seconds()) {
            return Optional.of(Duration.between(windowStart, log.peekFirst()));
        }
        log.addLast(now);
        return Optional.empty();
    }

    Duration window() {
        return window;
    }

    synchronized void reset() {
        admitted.clear();
    }
}
