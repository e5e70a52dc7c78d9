package org.acslifecycle.core.port;

import java.time.Duration;
import java.util.Objects;

/**
 * The ACS issue-token quota, shared by every path that issues tokens (the token service and the operators'
 * CLI). Never waits: a caller that gets no permit is told when to come back, because a request waiting on a
 * budget holds an HTTP client's connection for nothing.
 */
public interface IssueBudget {

    /** Takes one permit if there is one now. */
    Permit tryTake();

    /** Whether an issuance may go to ACS now. */
    sealed interface Permit permits Granted, Exhausted {}

    record Granted() implements Permit {}

    /** No permit now; {@code retryAfter} is when the next one is expected (at least one second). */
    record Exhausted(Duration retryAfter) implements Permit {
        public Exhausted {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
            }
        }
    }

    /** Every request granted: for paths that are paced elsewhere, and tests that are not about the budget. */
    static IssueBudget unlimited() {
        Granted granted = new Granted();
        return () -> granted;
    }
}
