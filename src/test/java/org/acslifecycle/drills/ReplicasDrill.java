package org.acslifecycle.drills;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.acslifecycle.app.WorkerProcess;

/**
 * Three workers side by side on one PostgreSQL ledger and one session queue, as production's replicas run; one is
 * SIGKILLed mid-run and started again. Must show: every state as the rules say, no double effect, every replica
 * doing part of the work, and no ACS operation done twice beyond a call the kill cut off (ACS deletes
 * idempotently; the row counts such redone deletes).
 */
final class ReplicasDrill implements Drill {

    private static final int REPLICAS = 3;

    @Override
    public String name() {
        return "replicas";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        long started = System.nanoTime();
        LifecycleLoad load = context.load(context.scale().events(name()));
        int total = load.events.size();
        Random random = new Random(context.seed());
        // Each replica is configured with the resource's whole quota; the budget they share through the ledger
        // divides it between them. Fewer sessions each: three JVMs share two cores with the emulators.
        RigOptions options = context.defaultRig().withAcsLatency().withWorkerSetting("servicebus.concurrency", "4")
                .withWorkerSetting("ledger.pool-size", "8");
        try (DrillRig rig = context.rig(options)) {
            List<WorkerProcess> replicas = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                replicas.add(rig.startWorker());
            }
            DrillRig.Publishing publishing = rig.publishInBackground(load.events);
            int threshold = total / 4 + random.nextInt(total / 4);
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)), threshold + " events handled",
                    () -> rig.handledCount() >= threshold);
            WorkerProcess victim = replicas.get(random.nextInt(REPLICAS));
            rig.kill(victim);
            context.note("killed %s at %d of %d events handled", victim, rig.handledCount(), total);
            WorkerProcess restarted = rig.startWorker();
            publishing.join(Duration.ofMinutes(context.scale().pick(2, 10)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 20)),
                    "every event handled and the journal done", () -> rig.drained(total));

            LoadOracle oracle = new LoadOracle(load, rig, true);
            OracleVerdict verdict = oracle.verdict();
            List<WorkerProcess> survivors = new ArrayList<>(replicas);
            survivors.remove(victim);
            survivors.add(restarted);
            for (WorkerProcess replica : survivors) {
                verdict = verdict.expect(replica.isAlive(), replica + " exited by itself");
            }
            for (WorkerProcess replica : replicas) {
                String log = Files.readString(context.logs().resolve(replica.name() + ".err"));
                verdict = verdict.expect(log.contains(" done ("), replica + " did no ACS operation: not side by side");
            }
            String faults = "3 replicas, 1 SIGKILL + restart; " + oracle.repeatedDeletes() + " deletes redone";
            return DrillResult.of(name(), total + " events, " + load.expected.size() + " people", faults, verdict,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
