package org.acslifecycle.drills;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.FaultPlan;

/**
 * How a {@link DrillRig} is set up: the ACS emulator's configuration and the worker's settings on top of the
 * local defaults. {@link #defaults(long)}: the session queue (so the oracle's exact create count holds), a quota
 * window shrunk to 1 % (limits stay real; throttling would only slow a drill that is not about it), and the deletion
 * breaker out of the way (a mass offboarding is the load there, not a wrong feed).
 */
public record RigOptions(AcsEmulatorConfig acs, Map<String, String> workerSettings, boolean deletionBreaker) {

    public static final String QUEUE = "lifecycle-events-sessions";
    public static final double FAST_QUOTA_WINDOW = 0.01;

    public RigOptions {
        workerSettings = Map.copyOf(workerSettings);
    }

    public static RigOptions defaults(long seed) {
        return new RigOptions(AcsEmulatorConfig.defaults().withQuotaWindowFactor(FAST_QUOTA_WINDOW)
                .withRandomSeed(seed), Map.of(
                "servicebus.sessions", "true",
                "servicebus.queue", QUEUE,
                // Sessions at once: one person's session holds a slot ~1.2 s after its last event (README, Worker:
                // benchmark), so the slots, not the CPU, bound a drain of many people with few events each.
                "servicebus.concurrency", "16",
                "acs.pacing.window", pacingWindow(FAST_QUOTA_WINDOW),
                "retry.delays", "PT1S,PT2S,PT4S"), false);
    }

    /** The worker's {@code acs.pacing.window} that matches an emulator quota window scaled by {@code factor}. */
    public static String pacingWindow(double factor) {
        return Duration.ofMillis(Math.round(30_000 * factor)).toString();
    }

    public RigOptions withAcs(AcsEmulatorConfig config) {
        return new RigOptions(config, workerSettings, deletionBreaker);
    }

    /** ACS answers after a random 20-120 ms, roughly as the real service does: kills land inside calls. */
    public RigOptions withAcsLatency() {
        return withAcs(acs.withFaults(FaultPlan.none().withLatency(Duration.ofMillis(20), Duration.ofMillis(120))));
    }

    public RigOptions withWorkerSetting(String key, String value) {
        Map<String, String> all = new HashMap<>(workerSettings);
        all.put(key, value);
        return new RigOptions(acs, all, deletionBreaker);
    }

    /** The deletion breaker as configured ({@code breaker.*} in the worker settings, else the defaults). */
    public RigOptions withDeletionBreaker() {
        return new RigOptions(acs, workerSettings, true);
    }

    public String queue() {
        return workerSettings.getOrDefault("servicebus.queue", QUEUE);
    }
}
