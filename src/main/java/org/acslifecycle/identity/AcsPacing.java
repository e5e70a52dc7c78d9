package org.acslifecycle.identity;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import org.acslifecycle.core.port.DirectoryFailure;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps this worker under ACS's per-operation quotas, so that a mass offboarding runs at the quota instead
 * of into a storm of 429s: every HTTP attempt waits for a permit of its operation's limiter.
 *
 * @param permitsPerWindow operation name (as the adapter names it) → calls allowed per window; operations
 *                         not named are not paced
 * @param window           the quota window (ACS: 30 s)
 */
public record AcsPacing(Map<String, Integer> permitsPerWindow, Duration window) {

    /** ACS's published Identity quotas per resource: create and issue 1000, revoke and delete 500, per 30 s. */
    public static AcsPacing serviceQuotas() {
        return new AcsPacing(Map.of("createIdentity", 1000, "createIdentityWithToken", 1000, "issueToken", 1000,
                "revokeTokens", 500, "deleteIdentity", 500), Duration.ofSeconds(30));
    }

    public static AcsPacing unpaced() {
        return new AcsPacing(Map.of(), Duration.ofSeconds(30));
    }

    public AcsPacing {
        permitsPerWindow = Map.copyOf(permitsPerWindow);
        Objects.requireNonNull(window, "window");
        permitsPerWindow.forEach((operation, permits) -> {
            if (permits < 1) {
                throw new IllegalArgumentException("pacing for " + operation + " must allow at least 1 call, was " + permits);
            }
        });
    }

    /** This pacing with one operation's limit changed. */
    public AcsPacing with(String operation, int permits) {
        Map<String, Integer> changed = new java.util.HashMap<>(permitsPerWindow);
        changed.put(operation, permits);
        return new AcsPacing(changed, window);
    }

    Limiters limiters() {
        return new Limiters(this);
    }

    /** The live limiters, one per paced operation. */
    static final class Limiters {
        /** The share of the quota actually used. */
        static final double SAFETY = 0.9;
        /** The longest an ACS call waits for its permit. */
        static final Duration MAX_WAIT = Duration.ofMinutes(5);

        private final Map<String, RateLimiter> byOperation = new ConcurrentHashMap<>();

        private Limiters(AcsPacing pacing) {
            pacing.permitsPerWindow().forEach((operation, permits) -> {
                // Smooth, and a little under the quota: ACS's windows are not aligned with ours, so a burst of
                // a whole window's permits at our window's edge could meet the end of ACS's window and double
                // up there. One-second slices at 90 % keep every 30 s span, however placed, under the quota.
                long slices = Math.max(1, pacing.window().toSeconds());
                int perSlice = (int) Math.max(1, Math.floor(permits * SAFETY / slices));
                byOperation.put(operation, RateLimiter.of("acs-" + operation, RateLimiterConfig.custom()
                        .limitForPeriod(perSlice)
                        .limitRefreshPeriod(pacing.window().dividedBy(slices))
                        // Being slow is the point, failing is not: a burst of the worker's whole concurrency
                        // waits its turn (the processor keeps renewing the message locks meanwhile).
                        .timeoutDuration(MAX_WAIT.plus(pacing.window()))
                        .build()));
            });
        }

        void acquire(String operation) {
            RateLimiter limiter = byOperation.get(operation);
            if (limiter == null) {
                return;
            }
            try {
                RateLimiter.waitForPermission(limiter);
            } catch (RequestNotPermitted tooLong) {
                // Nothing wrong with ACS or the event: our own pace; retry later like a 429.
                throw new DirectoryFailure.Transient(operation, "no pacing permit within " + MAX_WAIT, null, tooLong);
            }
        }
    }
}
