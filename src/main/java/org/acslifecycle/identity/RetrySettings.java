package org.acslifecycle.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * The adapter's one retry layer (the SDK's own retries are off).
 *
 * @param maxAttempts HTTP attempts per logical call, the first included
 * @param initialBackoff first back-off when ACS gives no {@code Retry-After}; doubles per attempt
 * @param maxBackoff cap of one back-off
 * @param jitter randomisation factor of a back-off, in [0, 1): 0.5 means ±50 %
 * @param maxTotal no new attempt starts after this much time since the first, and no {@code Retry-After} longer
 *     than what is left is waited for (the caller's delayed retry takes over then)
 * @param retryAmbiguousCreate whether a create that failed in a way that may have created the identity (5xx,
 *     time-out, I/O after sending) is retried; a retry may leave an orphan identity behind
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter,
        Duration maxTotal, boolean retryAmbiguousCreate) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxTotal, "maxTotal");
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < initialBackoff <= maxBackoff");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        if (maxTotal.isNegative() || maxTotal.isZero()) {
            throw new IllegalArgumentException("maxTotal must be positive");
        }
    }

    /** One HTTP attempt: for callers that retry themselves (the journal executor, with back-off and a budget). */
    public static RetrySettings singleAttempt() {
        return new RetrySettings(1, Duration.ofMillis(500), Duration.ofSeconds(8), 0.5, Duration.ofSeconds(20), false);
    }

    /** 4 attempts, 0.5 s doubling to at most 8 s, ±50 % jitter, within 20 s (well inside a message lock). */
    public static RetrySettings defaults() {
        // An ambiguous create is not retried here: the failure goes up, the ledger's intent stays PENDING, and
        // the next delivery marks it as a possible orphan that `ledger intents` lists. Retrying here would hide it.
        return new RetrySettings(4, Duration.ofMillis(500), Duration.ofSeconds(8), 0.5, Duration.ofSeconds(20), false);
    }
}
