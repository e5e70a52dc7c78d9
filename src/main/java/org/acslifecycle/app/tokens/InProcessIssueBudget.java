package org.acslifecycle.app.tokens;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.port.IssueBudget;

/**
 * The issue-token budget of this process, shaped like the adapter's pacing (one-second slices at 90 % of the
 * quota, see {@code AcsPacing}): when this budget grants a permit, the pacing behind it rarely has to wait.
 *
 * <p>In-process only: two processes (two replicas, or the worker and an operator's CLI) each have their own,
 * so the quota must be divided among them in configuration until a ledger-shared implementation replaces this.
 */
public final class InProcessIssueBudget implements IssueBudget {

    static final double SAFETY = 0.9;

    private final AtomicRateLimiter limiter;
    private final Duration slice;

    /**
     * @param permitsPerWindow issue-token calls this process may make per {@code window} ({@code acs.pacing.issue-token})
     * @param window           the quota window ({@code acs.pacing.window})
     */
    public InProcessIssueBudget(int permitsPerWindow, Duration window) {
        if (permitsPerWindow < 1) {
            throw new IllegalArgumentException("the issue budget must allow at least 1 call, was " + permitsPerWindow);
        }
        long slices = Math.max(1, window.toSeconds());
        this.slice = window.dividedBy(slices);
        int perSlice = (int) Math.max(1, Math.floor(permitsPerWindow * SAFETY / slices));
        // Zero timeout: a request that finds no permit is answered 429 at once, never parked.
        this.limiter = new AtomicRateLimiter("token-service-issue", RateLimiterConfig.custom()
                .limitForPeriod(perSlice).limitRefreshPeriod(slice).timeoutDuration(Duration.ZERO).build());
    }

    /**
     * From {@code acs.pacing.issue-token} per {@code acs.pacing.window}; where an operator's configuration file
     * names neither, ACS's own quota (1000 per 30 s).
     */
    public static InProcessIssueBudget fromConfig(Config config) {
        int permits = config.optional("acs.pacing.issue-token").isPresent()
                ? config.integer("acs.pacing.issue-token", 1, 100_000) : 1000;
        Duration window = config.optional("acs.pacing.window").isPresent()
                ? config.duration("acs.pacing.window") : Duration.ofSeconds(30);
        return new InProcessIssueBudget(permits, window);
    }

    @Override
    public Permit tryTake() {
        if (limiter.acquirePermission()) {
            return new Granted();
        }
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        Duration wait = nanos > 0 ? Duration.ofNanos(nanos) : slice;
        // Retry-After counts whole seconds: round up, and never tell a client "0".
        return new Exhausted(Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }
}
