package org.acslifecycle.emulators.acs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Run-time fault control, shared by the Java API ({@link AcsIdentityEmulator#faults()}) and the admin endpoint.
 * Three sources, checked in this order for every Identity API request: an outage window, scripted faults ("answer
 * the next N requests with 503"), then the plan's random shares. Latency is added before any of them. Lost answers
 * ("do the next N, then answer 503") strike after the work.
 */
public final class Faults {

    private final AccessKeys keys;
    private final Clock clock;
    private final Random random;
    private final Queue<ScriptedFault> scripted = new ConcurrentLinkedQueue<>();
    private final Queue<Duration> scriptedDelays = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger answersToLose = new java.util.concurrent.atomic.AtomicInteger();
    private volatile FaultPlan plan;

    Faults(FaultPlan initial, AccessKeys keys, Clock clock, Random random) {
        this.plan = Objects.requireNonNull(initial, "initial");
        this.keys = keys;
        this.clock = clock;
        this.random = random;
    }

    public FaultPlan plan() {
        return plan;
    }

    public void setPlan(FaultPlan newPlan) {
        this.plan = Objects.requireNonNull(newPlan, "plan");
    }

    /** Answers the next {@code count} Identity API requests with {@code status} (e.g. 429, 503, 408, 403). */
    public void failNext(int count, int status, int retryAfterSeconds) {
        if (count < 0 || status < 400 || status > 599 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("need count >= 0, 400 <= status <= 599, retryAfterSeconds >= 0");
        }
        for (int i = 0; i < count; i++) {
            scripted.add(new ScriptedFault(status, retryAfterSeconds));
        }
    }

    /**
     * Holds the next {@code count} Identity API requests for {@code delay} before handling them (on top of the plan's
     * latency). The request still takes effect after the delay even if the client has given up: that is how a lost
     * answer to a create is reproduced.
     */
    public void delayNext(int count, Duration delay) {
        if (count < 0 || delay.isNegative()) {
            throw new IllegalArgumentException("need count >= 0 and a non-negative delay");
        }
        for (int i = 0; i < count; i++) {
            scriptedDelays.add(delay);
        }
    }

    /**
     * The next {@code count} Identity API requests take effect, then their answer is replaced by a 503: the client
     * cannot tell it from a failure before the work, the case a create's repeatability headers are for.
     */
    public void loseNextAnswers(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("need count >= 0");
        }
        answersToLose.addAndGet(count);
    }

    /** Every request from now until {@code duration} has passed gets 503. */
    public void startOutage(Duration duration) {
        Instant now = clock.instant();
        plan = plan.withOutage(now, now.plus(duration));
    }

    /** Wrong-key mode: the resource key is rotated, so the key in the published connection string fails (401). */
    public void setWrongKeyMode(boolean on) {
        if (on) {
            keys.rotate();
        } else {
            keys.restore();
        }
    }

    public boolean wrongKeyMode() {
        return keys.rotated();
    }

    /** No plan, no scripted faults, the published key back in force. */
    public void clear() {
        plan = FaultPlan.none();
        scripted.clear();
        scriptedDelays.clear();
        answersToLose.set(0);
        keys.restore();
    }

    Duration latency() {
        FaultPlan current = plan;
        long span = current.latencyMaxMs() - current.latencyMinMs();
        long extra = span == 0 ? 0 : (long) (random.nextDouble() * (span + 1));
        Duration scriptedDelay = scriptedDelays.poll();
        return Duration.ofMillis(current.latencyMinMs() + extra)
                .plus(scriptedDelay == null ? Duration.ZERO : scriptedDelay);
    }

    /** Whether the answer of a request just performed is to be lost (see {@link #loseNextAnswers}). */
    boolean loseAnswer() {
        return answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    Optional<AcsFailure> decide(Instant now) {
        FaultPlan current = plan;
        if (current.inOutage(now)) {
            // Retry-After tells the client when the outage ends (rounded up, at least 1 s).
            long millisLeft = Duration.between(now, current.outageUntil()).toMillis();
            return Optional.of(AcsErrors.outage((int) Math.max(1, (millisLeft + 999) / 1000)));
        }
        ScriptedFault next = scripted.poll();
        if (next != null) {
            return Optional.of(AcsErrors.injected(next.status(), next.retryAfterSeconds()));
        }
        double draw = random.nextDouble();
        if (draw < current.share429()) {
            return Optional.of(AcsErrors.injected(429, current.retryAfterSeconds()));
        }
        if (draw < current.share429() + current.share500()) {
            return Optional.of(AcsErrors.injected(500, 0));
        }
        if (draw < current.share429() + current.share500() + current.share503()) {
            return Optional.of(AcsErrors.injected(503, current.retryAfterSeconds()));
        }
        return Optional.empty();
    }

    private record ScriptedFault(int status, int retryAfterSeconds) {
    }
}
