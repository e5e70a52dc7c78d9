package org.acslifecycle.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.acslifecycle.app.WorkerProcess;

/**
 * The drills' PostgreSQL is SIGKILLed mid-run and started again on the same port and data directory after
 * {@link Scale#databaseDowntime()} (20 s at full scale). Must show: intake stops while the ledger is gone (no
 * message is settled: the queue does not shrink; readiness is not 200) and resumes by itself once the database is
 * back; nothing is lost and the oracle agrees with every state.
 *
 * <p>How intake stops depends on the outage's length: a handler waits for a ledger connection for up to the pool's
 * 60 s connection timeout (JdbcLedger), so a shorter outage holds the handlers (and the
 * {@code acs_lifecycle_intake_paused} gauge stays 0); only a longer one fails the handlers into the policy's
 * pause-and-probe. The row says which was seen.
 */
final class DatabaseDrill implements Drill {

    private static final String PAUSED = "acs_lifecycle_intake_paused";

    @Override
    public String name() {
        return "database";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        LifecycleLoad load = context.load();
        int total = load.events.size();
        Duration downtime = context.scale().databaseDowntime();
        try (DrillRig rig = context.rig(context.defaultRig())) {
            WorkerProcess worker = rig.startWorker();
            DrillRig.Publishing publishing = rig.publishInBackground(load.events);
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)), "a third of the events handled",
                    () -> rig.handledCount() >= total / 3);

            int handledAtKill = rig.handledCount();
            context.database().kill();
            Instant killed = Instant.now();
            context.note("killed PostgreSQL at %d of %d events handled", handledAtKill, total);
            // While it is down: sample the gauge, readiness and the queue; the worker must stay up and not settle.
            List<Integer> queueSizes = new ArrayList<>();
            boolean sawPaused = false;
            boolean sawNotReady = false;
            // A message whose commit made it before the kill is still settled after it: the queue is watched from
            // a second after the kill, when only a message handled without the ledger could leave it.
            Thread.sleep(SETTLE_AFTER_KILL.toMillis());
            while (Duration.between(killed, Instant.now()).compareTo(downtime) < 0) {
                queueSizes.add(rig.queueSize());
                sawNotReady |= rig.readiness(worker) != 200;
                sawPaused |= rig.metric(worker, PAUSED).filter(v -> v == 1.0).isPresent();
                Thread.sleep(250);
            }
            boolean aliveThroughout = worker.isAlive();
            context.database().restart();
            context.note("restarted PostgreSQL after %s; queue while down: %s", downtime, queueSizes);
            publishing.join(Duration.ofMinutes(context.scale().pick(2, 10)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 20)),
                    "every event handled and the journal done", () -> rig.drained(total));
            Optional<Double> pausedAfter = rig.metric(worker, PAUSED);

            LoadOracle oracle = new LoadOracle(load, rig, true);
            OracleVerdict verdict = oracle.verdict()
                    .expect(aliveThroughout, "the worker died while the database was down")
                    .expect(sawNotReady, "readiness stayed 200 while the database was down")
                    .expect(!shrank(queueSizes), "the queue shrank while the database was down: " + queueSizes)
                    .expect(pausedAfter.equals(Optional.of(0.0)), "intake did not resume: " + PAUSED + " is " + pausedAfter);
            String faults = "PostgreSQL SIGKILLed, down " + downtime.toSeconds() + " s; intake "
                    + (sawPaused ? "paused (gauge 1)" : shrank(queueSizes) ? "NOT stopped" : "held on the pool")
                    + ", " + (pausedAfter.equals(Optional.of(0.0)) ? "resumed" : "NOT resumed");
            return DrillResult.of(name(), load.describe(), faults, verdict);
        }
    }

    private static final Duration SETTLE_AFTER_KILL = Duration.ofSeconds(1);

    /** A message settled while the ledger is gone would show as the queue getting shorter. */
    private static boolean shrank(List<Integer> sizes) {
        for (int i = 1; i < sizes.size(); i++) {
            if (sizes.get(i) < sizes.get(i - 1)) {
                return true;
            }
        }
        return false;
    }
}
