package org.acslifecycle.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.acslifecycle.app.WorkerProcess;

/**
 * ACS goes down ({@link Scale#acsOutage()}: 60 s at full scale, every Identity API call answered 503) while the
 * worker is busy: the first half of the load is published before, the second half during the outage. Must show
 * (DESIGN §5, systemic failure): the executor's circuit opens ({@code acs_lifecycle_acs_circuit_open} 1 on the
 * worker's /metrics), intake goes on recording (the second half is handled while ACS is down), nothing is
 * dead-lettered, and once ACS is back the circuit closes and the held work (cut-offs first) is done without
 * anyone's help; 0 lost, every state as the rules say.
 */
final class OutageDrill implements Drill {

    private static final String CIRCUIT_OPEN = "acs_lifecycle_acs_circuit_open";

    @Override
    public String name() {
        return "outage";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        long started = System.nanoTime();
        LifecycleLoad load = context.load(context.scale().events(name()));
        int total = load.events.size();
        List<LifecycleLoad.Event> before = load.events.subList(0, total / 2);
        List<LifecycleLoad.Event> during = load.events.subList(total / 2, total);
        Duration outage = context.scale().acsOutage();
        // A probe every 2 s rather than the default 30 s, so the resumption is seen within a short outage's end.
        RigOptions options = context.defaultRig().withWorkerSetting("retry.probe-every", "PT2S");
        try (DrillRig rig = context.rig(options)) {
            WorkerProcess worker = rig.startWorker();
            rig.publishInBackground(before).join(Duration.ofMinutes(context.scale().pick(2, 10)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)), "a third of the events handled",
                    () -> rig.handledCount() >= total / 3);

            long unavailableBefore = rig.acs().callCounts().countWithStatus(503);
            int handledAtStart = rig.handledCount();
            rig.acs().faults().startOutage(outage);
            Instant down = Instant.now();
            context.note("ACS down for %s at %d of %d events handled", outage, handledAtStart, total);
            DrillRig.Publishing publishing = rig.publishInBackground(during);
            boolean sawOpen = false;
            while (Duration.between(down, Instant.now()).compareTo(outage) < 0) {
                sawOpen |= rig.metric(worker, CIRCUIT_OPEN).filter(v -> v == 1.0).isPresent();
                Thread.sleep(250);
            }
            // Intake goes on: events published only once ACS was down are in the ledger before it is back.
            var handled = rig.handledEventIds();
            long handledDuring = during.stream().filter(e -> handled.contains(e.id())).count();
            long unavailable = rig.acs().callCounts().countWithStatus(503) - unavailableBefore;
            boolean aliveThroughout = worker.isAlive();
            context.note("ACS back; %d events published during the outage handled, %d calls answered 503",
                    handledDuring, unavailable);
            publishing.join(Duration.ofMinutes(context.scale().pick(2, 10)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 20)), "every event handled and the journal done",
                    () -> rig.drained(total));
            Optional<Double> openAfter = rig.metric(worker, CIRCUIT_OPEN);
            int readyAfter = rig.readiness(worker);

            OracleVerdict verdict = new LoadOracle(load, rig, false).verdict()
                    .expect(unavailable > 0, "no call was answered 503 during the outage: the fault did not happen")
                    .expect(sawOpen, CIRCUIT_OPEN + " never 1 during the outage")
                    .expect(handledDuring > 0, "intake stopped during the outage: none of the " + during.size()
                            + " events published while ACS was down was handled before it was back")
                    .expect(aliveThroughout, "the worker died during the outage")
                    .expect(openAfter.equals(Optional.of(0.0)), "the circuit did not close: " + CIRCUIT_OPEN + " is "
                            + openAfter)
                    .expect(readyAfter == 200, "readiness is " + readyAfter + " after the outage");
            String faults = String.format("ACS down %d s (%d calls answered 503); circuit %s, %d of %d events "
                            + "published meanwhile handled, %s", outage.toSeconds(), unavailable, sawOpen ? "opened" : "NOT opened",
                    handledDuring, during.size(), openAfter.equals(Optional.of(0.0)) ? "resumed alone" : "NOT resumed");
            return DrillResult.of(name(), total + " events, " + load.expected.size() + " people", faults, verdict,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
