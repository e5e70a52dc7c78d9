package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;

/**
 * Faults the emulator injects into Identity API answers (never into the admin endpoints). Serialised as-is by the
 * admin endpoint {@code /emulator/faults}.
 *
 * @param latencyMinMs added latency per request; equal to {@code latencyMaxMs} for a fixed delay
 * @param latencyMaxMs upper bound; when larger than the minimum the delay is drawn uniformly from the range
 * @param share429 share of requests answered 429 (0..1), with {@code Retry-After: retryAfterSeconds}
 * @param share500 share answered 500
 * @param share503 share answered 503
 * @param retryAfterSeconds {@code Retry-After} on injected 429/503; 0 sends none
 * @param outageFrom start of an outage window (inclusive), or {@code null}
 * @param outageUntil end of the outage window (exclusive); every request inside it gets 503
 */
public record FaultPlan(long latencyMinMs, long latencyMaxMs, double share429, double share500, double share503,
        int retryAfterSeconds, Instant outageFrom, Instant outageUntil) {

    public FaultPlan {
        if (latencyMinMs < 0 || latencyMaxMs < latencyMinMs) {
            throw new IllegalArgumentException("latency must satisfy 0 <= latencyMinMs <= latencyMaxMs");
        }
        for (double share : new double[] {share429, share500, share503}) {
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("shares must be within [0, 1]");
            }
        }
        if (share429 + share500 + share503 > 1.0 + 1e-9) {
            throw new IllegalArgumentException("share429 + share500 + share503 must not exceed 1");
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        if ((outageFrom == null) != (outageUntil == null)) {
            throw new IllegalArgumentException("outageFrom and outageUntil must be given together");
        }
        if (outageFrom != null && !outageUntil.isAfter(outageFrom)) {
            throw new IllegalArgumentException("outageUntil must be after outageFrom");
        }
    }

    public static FaultPlan none() {
        return new FaultPlan(0, 0, 0, 0, 0, 1, null, null);
    }

    public FaultPlan withLatency(Duration fixed) {
        return withLatency(fixed, fixed);
    }

    public FaultPlan withLatency(Duration min, Duration max) {
        return new FaultPlan(min.toMillis(), max.toMillis(), share429, share500, share503, retryAfterSeconds,
                outageFrom, outageUntil);
    }

    public FaultPlan withErrorShares(double new429, double new500, double new503) {
        return new FaultPlan(latencyMinMs, latencyMaxMs, new429, new500, new503, retryAfterSeconds, outageFrom,
                outageUntil);
    }

    public FaultPlan withRetryAfterSeconds(int seconds) {
        return new FaultPlan(latencyMinMs, latencyMaxMs, share429, share500, share503, seconds, outageFrom,
                outageUntil);
    }

    public FaultPlan withOutage(Instant from, Instant until) {
        return new FaultPlan(latencyMinMs, latencyMaxMs, share429, share500, share503, retryAfterSeconds, from,
                until);
    }

    @JsonIgnore
    boolean inOutage(Instant now) {
        return outageFrom != null && !now.isBefore(outageFrom) && now.isBefore(outageUntil);
    }
}
