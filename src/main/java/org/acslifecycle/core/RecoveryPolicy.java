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
 * @param outageAfter this many handling attempts in a row (across messages, delayed retries included) failing
 *                    transiently is an outage, not bad luck: pause intake rather than spend every event's
 *                    delayed retries (which would end in dead letters)
 */
public record RecoveryPolicy(List<Duration> delays, Duration probeEvery, int outageAfter) {

    public RecoveryPolicy {
        delays = List.copyOf(delays);
        Objects.requireNonNull(probeEvery, "probeEvery");
        if (delays.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("delayed retry waits must be positive: " + delays);
        }
        if (probeEvery.isNegative() || probeEvery.isZero()) {
            throw new IllegalArgumentException("probeEvery must be positive, was " + probeEvery);
        }
        if (outageAfter < 1) {
            throw new IllegalArgumentException("outageAfter must be at least 1, was " + outageAfter);
        }
    }

    /** 10 s, 1 min, 5 min, 15 min, 1 h: about 1 h 21 min of outage ridden out before a dead letter. */
    public static RecoveryPolicy defaults() {
        return new RecoveryPolicy(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(15), Duration.ofHours(1)), Duration.ofSeconds(30), 5);
    }

    /**
     * @param failure          what the attempt threw
     * @param delayedAttempts  how many delayed attempts this event has had already (0 on first delivery)
     * @param failuresInARow   how many handling attempts in a row (this one included) failed transiently, across
     *                         messages
     */
    public Recovery decide(RuntimeException failure, int delayedAttempts, int failuresInARow) {
        if (failure instanceof DirectoryFailure.Systemic systemic) {
            return new Recovery.PauseIntake(probeEvery, "ACS refused our credentials (HTTP " + systemic.status() + ")");
        }
        if (failure instanceof DirectoryFailure.Permanent permanent) {
            return new Recovery.DeadLetter(Recovery.Reasons.PERMANENT_FAILURE, "ACS answered " + permanent.status()
                    + " " + permanent.errorCode() + " to " + permanent.operation());
        }
        if (failure instanceof LedgerFailure ledger) {
            // The caller has already retried at once: the ledger is down, and every event needs it.
            return new Recovery.PauseIntake(probeEvery, "ledger unavailable: " + ledger.getMessage());
        }
        if (failure instanceof DirectoryFailure.Transient) {
            if (failuresInARow >= outageAfter) {
                return new Recovery.PauseIntake(probeEvery, "ACS unavailable: " + failuresInARow
                        + " attempts in a row failed transiently");
            }
            return retryLater(delayedAttempts, describe((DirectoryFailure) failure));
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

    private static String describe(DirectoryFailure failure) {
        return "ACS " + failure.operation() + " failed transiently";
    }
}
