package org.acslifecycle.drills;

import java.time.Duration;
import org.acslifecycle.emulators.acs.CallCounts;
import org.acslifecycle.emulators.acs.FaultPlan;

/**
 * ACS answers 15 % of Identity API calls 429 and 15 % 503 (with {@code Retry-After: 1}) from the first call to the
 * last. Must show: every operation done in the end (the executor retries a transient failure, never fails it for
 * good), no good event dead-lettered, every state as the rules say. The faults column counts the 429 and 503
 * answers the emulator actually gave, so a run where the plan did not bite shows it (and fails: none counted).
 */
final class ThrottlingDrill implements Drill {

    static final double SHARE_429 = 0.15;
    static final double SHARE_503 = 0.15;

    @Override
    public String name() {
        return "throttling";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        long started = System.nanoTime();
        LifecycleLoad load = context.load(context.scale().events(name()));
        int total = load.events.size();
        RigOptions options = context.defaultRig();
        options = options.withAcs(options.acs().withFaults(
                        FaultPlan.none().withErrorShares(SHARE_429, 0, SHARE_503).withRetryAfterSeconds(1)))
                // Five 503s in a row may happen by chance here and open the circuit; its probe must not then
                // hold the work for the default 30 s.
                .withWorkerSetting("retry.probe-every", "PT2S");
        try (DrillRig rig = context.rig(options)) {
            rig.startWorker();
            rig.publishInBackground(load.events).join(Duration.ofMinutes(context.scale().pick(2, 10)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 30)), "every event handled and the journal done",
                    () -> rig.drained(total));

            LoadOracle oracle = new LoadOracle(load, rig, false);
            CallCounts calls = rig.acs().callCounts();
            long throttled = calls.countWithStatus(429);
            long unavailable = calls.countWithStatus(503);
            OracleVerdict verdict = oracle.verdict()
                    .expect(throttled > 0 && unavailable > 0, "the emulator answered " + throttled + " 429s and "
                            + unavailable + " 503s: the fault did not happen");
            String faults = String.format("ACS %d %% 429 + %d %% 503 throughout: %d 429s, %d 503s of %d calls",
                    Math.round(SHARE_429 * 100), Math.round(SHARE_503 * 100), throttled, unavailable, calls.total());
            return DrillResult.of(name(), total + " events, " + load.expected.size() + " people", faults, verdict,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
