package org.acslifecycle.drills;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.acslifecycle.app.WorkerProcess;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.IdentityView;

/**
 * The worker, in a JVM of its own, is SIGKILLed at random points while it works through the load and restarted each
 * time. ACS answers after 20-120 ms, so a kill often lands while a call is in flight; the emulator carries the call
 * out, as ACS would: that is how orphans come about. The emulators and PostgreSQL outlive every worker, as Service
 * Bus, ACS and the database outlive a crashed replica. Must show: 0 lost, 0 double effects, and every orphan either
 * explained by a possible-orphan create and then removed with {@code orphans delete --all}, or none.
 */
final class CrashDrill implements Drill {

    @Override
    public String name() {
        return "crash";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        Random random = new Random(context.seed());
        LifecycleLoad load = context.load();
        int total = load.events.size();
        int kills = context.scale().crashKills();
        try (DrillRig rig = context.rig(context.defaultRig().withAcsLatency())) {
            WorkerProcess worker = rig.startWorker();
            DrillRig.Publishing publishing = rig.publishInBackground(load.events);
            for (int k = 1; k <= kills; k++) {
                // Spread the kills over the load, each at a random point within its share.
                int threshold = (int) (total * 0.9 * (k - 0.8 + 0.6 * random.nextDouble()) / (kills + 1));
                rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)),
                        "the worker to handle " + threshold + " events", () -> rig.handledCount() >= threshold);
                Thread.sleep(random.nextInt(300)); // not right at the poll: inside an ACS call or a commit
                int handledAtKill = rig.handledCount();
                rig.kill(worker);
                if (worker.exitValue() != 137) {
                    throw new IllegalStateException(worker + " exited with " + worker.exitValue() + ", not SIGKILL's 137");
                }
                context.note("killed %s at %d of %d events handled", worker, handledAtKill, total);
                worker = rig.startWorker();
            }
            publishing.join(Duration.ofMinutes(context.scale().pick(2, 10)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 20)),
                    "every event handled and the journal done", () -> rig.drained(total));
            int exit = worker.stop();

            LoadOracle oracle = new LoadOracle(load, rig, true);
            OracleVerdict verdict = oracle.verdict();
            verdict = verdict.expect(exit == 0 || exit == 143, "exit status after SIGTERM was " + exit);
            int orphans = oracle.orphans();
            if (orphans > 0) {
                DrillRig.CliRun removed = rig.cli("orphans", "delete", "--all", "--operator", "drills",
                        "--reason", "crash drill: creates whose answer a kill lost");
                verdict = verdict.expect(removed.exit() == 0, "orphans delete --all exited " + removed.exit() + ": "
                        + removed.err().strip());
                long left = liveUnowned(load, rig);
                verdict = verdict.expect(left == 0, left + " of " + orphans + " orphans left after orphans delete --all");
            }
            String faults = kills + " SIGKILLs; " + orphans + " orphans" + (orphans > 0 ? " removed" : "")
                    + ", " + oracle.repeatedDeletes() + " deletes redone";
            return DrillResult.of(name(), load.describe(), faults, verdict);
        }
    }

    private static long liveUnowned(LifecycleLoad load, DrillRig rig) {
        Set<String> owned = new HashSet<>();
        for (String person : load.expected.keySet()) {
            rig.ledger().history(person).flatMap(PersonHistory::record).flatMap(PersonRecord::acsUserId)
                    .ifPresent(owned::add);
        }
        return rig.acs().identities().stream().filter(i -> i.deletedAt() == null).map(IdentityView::id)
                .filter(id -> !owned.contains(id)).count();
    }
}
