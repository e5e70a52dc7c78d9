package org.acslifecycle.drills;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.acslifecycle.app.WorkerProcess;

/**
 * Three workers side by side on one PostgreSQL ledger and one session queue, as production's replicas run; one is
 * SIGKILLed mid-run, once every replica has taken events, and started again. Must show: every state as the rules
 * say, no double effect, at least two replicas doing ACS operations (the one killed may not have got to one), and no
 * ACS operation done twice beyond a call the kill cut off (ACS deletes idempotently; the row counts such redone
 * deletes).
 */
final class ReplicasDrill implements Drill {

    private static final int REPLICAS = 3;

    /** Whether the replica has applied an event (its log says so). */
    private static boolean applied(DrillContext context, WorkerProcess replica) {
        return log(context, replica).contains("Applied user.");
    }

    private static String log(DrillContext context, WorkerProcess replica) {
        try {
            java.nio.file.Path err = context.logs().resolve(replica.name() + ".err");
            return Files.exists(err) ? Files.readString(err) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "replicas";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        LifecycleLoad load = context.load();
        int total = load.events.size();
        Random random = new Random(context.seed());
        // Each replica is configured with the resource's whole quota; the budget they share through the ledger
        // divides it between them. Fewer sessions each: three JVMs share two cores with the emulators.
        RigOptions options = context.defaultRig().withAcsLatency().withWorkerSetting("servicebus.concurrency", "6")
                .withWorkerSetting("ledger.pool-size", "8");
        try (DrillRig rig = context.rig(options)) {
            List<WorkerProcess> replicas = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                replicas.add(rig.startWorker());
            }
            DrillRig.Publishing publishing = rig.publishInBackground(load.events);
            int threshold = total / 4 + random.nextInt(total / 4);
            // Not before every replica has taken events: the kill is of a replica at work, not of one starting up.
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)),
                    threshold + " events handled and every replica at work",
                    () -> rig.handledCount() >= threshold && replicas.stream().allMatch(r -> applied(context, r)));
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
            long didAcsWork = 0;
            for (WorkerProcess replica : replicas) {
                didAcsWork += log(context, replica).contains(" done (") ? 1 : 0;
            }
            verdict = verdict.expect(didAcsWork >= 2, didAcsWork + " of the replicas did ACS operations: not side by side");
            String faults = "3 replicas, 1 SIGKILL + restart; " + oracle.repeatedDeletes() + " deletes redone";
            return DrillResult.of(name(), load.describe(), faults, verdict);
        }
    }
}
