package org.acslifecycle.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.LedgerFailure;

/**
 * Decides, and only decides, how to recover from a failed attempt at an event — the NServiceBus
 * recoverability shape: a pure function of the configuration, the failure and the attempts so far.
 *
 * @param delays      the wait before each delayed attempt; when all are spent the event is dead-lettered
 * @param probeEvery  how often a paused worker checks whether the systemic failure is gone
 */
public record RecoveryPolicy(List<Duration> delays, Duration probeEvery) {

    public RecoveryPolicy {
        delays = List.copyOf(delays);
        Objects.requireNonNull(probeEvery, "probeEvery");
        if (delays.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("delayed retry waits must be positive: " + delays);
        }
        if (probeEvery.isNegative() || probeEvery.isZero()) {
            throw new IllegalArgumentException("probeEvery must be positive, was " + probeEvery);
        }
    }

    /** 10 s, 1 min, 5 min, 15 min, 1 h: about 1 h 21 min of outage ridden out before a dead letter. */
    public static RecoveryPolicy defaults() {
        return new RecoveryPolicy(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofHours(1)), Duration.ofSeconds(30));
    }

    /**
     * @param failure          what the attempt threw
     * @param delayedAttempts  how many delayed attempts this event has had already (0 on first delivery)
     */
    public Recovery decide(RuntimeException failure, int delayedAttempts) {
        if (failure instanceof DirectoryFailure.Systemic systemic) {
            return new Recovery.PauseIntake(probeEvery, "ACS refused our credentials (HTTP " + systemic.status() + ")");
        }
        if (failure instanceof DirectoryFailure.Permanent permanent) {
            return new Recovery.DeadLetter(Recovery.Reasons.PERMANENT_FAILURE, "ACS answered " + permanent.status()
                    + " " + permanent.errorCode() + " to " + permanent.operation());
        }
        if (failure instanceof DirectoryFailure.Transient || failure instanceof LedgerFailure) {
            return retryLater(delayedAttempts, describe(failure));
        }
        // A bug of ours, not the event's fault: retry like a transient failure, so no good event is lost
        // at once, and dead-letter only when every delayed attempt has failed the same way.
        return retryLater(delayedAttempts, "unexpected " + failure.getClass().getSimpleName());
    }

    private Recovery retryLater(int delayedAttempts, String lastError) {
        if (delayedAttempts >= delays.size()) {
            return new Recovery.DeadLetter(Recovery.Reasons.RETRIES_EXHAUSTED,
                    "gave up after " + (delayedAttempts + 1) + " deliveries; last error: " + lastError);
        }
        return new Recovery.RetryLater(delays.get(delayedAttempts), delayedAttempts + 1);
    }

    private static String describe(RuntimeException failure) {
        return failure instanceof DirectoryFailure d ? "ACS " + d.operation() + " failed transiently" : "ledger unavailable";
    }
}
