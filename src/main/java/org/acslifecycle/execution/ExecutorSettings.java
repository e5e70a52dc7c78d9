package org.acslifecycle.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * How the journal executor runs.
 *
 * @param threads        operations carried out at once (each is one ACS call at a time)
 * @param pollInterval   how often the journal is polled for due work besides the wake-ups intake sends
 * @param heartbeat      how often a replica says it still runs its executions; four missed ones and another
 *                       replica takes them over
 * @param initialBackoff first wait after a transient failure without {@code Retry-After}; doubles per attempt
 * @param maxBackoff     cap of one wait: seconds to a minute, never hours (DESIGN §5)
 * @param outageAfter    this many ACS calls in a row failing transiently (429s not counted) open the circuit
 * @param probeEvery     how long the circuit stays open before one call probes whether ACS is back
 * @param stuckAfter     an operation still not done this long after it was recorded is reported as stuck
 */
public record ExecutorSettings(int threads, Duration pollInterval, Duration heartbeat, Duration initialBackoff,
        Duration maxBackoff, int outageAfter, Duration probeEvery, Duration stuckAfter) {

    public ExecutorSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(probeEvery, "probeEvery");
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        if (maxBackoff.compareTo(initialBackoff) < 0 || initialBackoff.isZero() || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff");
        }
        if (outageAfter < 1) {
            throw new IllegalArgumentException("outageAfter must be at least 1");
        }
    }

    public static ExecutorSettings defaults() {
        return new ExecutorSettings(8, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofMinutes(1), 5, Duration.ofSeconds(30), Duration.ofHours(4));
    }
}
