package org.acslifecycle.drills;

import java.time.Duration;
import java.util.List;

/**
 * The Service Bus emulator drops every client connection (the worker's receiver and sender, the drill's publisher)
 * from the broker's side, twice, as a network failure or a broker restart would. The load is published in three
 * parts with a drop between them, each once the worker is receiving (it has handled an event since the last drop)
 * and still working through the part before, so every part after a drop can only arrive over connections the SDK
 * opened again. Must show: the SDK reconnects (the broker
 * accepts new connections after each drop, and the parts published after the drops are handled), 0 lost, nothing
 * dead-lettered, every state as the rules say. The faults column counts the connections the broker closed.
 */
final class BrokerDrill implements Drill {

    static final int DROPS = 2;

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        long started = System.nanoTime();
        LifecycleLoad load = context.load(context.scale().events(name()));
        int total = load.events.size();
        try (DrillRig rig = context.rig(context.defaultRig())) {
            rig.startWorker();
            rig.awaitOrFail(Duration.ofMinutes(1), "the worker's receive link", () -> rig.serviceBus().receiveLinkAttaches() > 0);
            int drops = 0;
            int dropped = 0;
            int fewestClosed = Integer.MAX_VALUE;
            int handledAtDrop = 0;
            long connectionsBefore = rig.serviceBus().connectionsAccepted();
            for (int part = 0; part <= DROPS; part++) {
                List<LifecycleLoad.Event> events = load.events.subList(part * total / (DROPS + 1),
                        (part + 1) * total / (DROPS + 1));
                rig.publishInBackground(events).join(Duration.ofMinutes(context.scale().pick(2, 10)));
                if (part < DROPS) {
                    // Drop only once the worker is (again) receiving: an event handled since the last drop shows it
                    // has reconnected, so both it and the publisher have a connection to lose.
                    int before = handledAtDrop;
                    rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)), "the worker receiving again",
                            () -> rig.handledCount() > before);
                    int handled = rig.handledCount();
                    handledAtDrop = handled;
                    int closed = rig.serviceBus().dropAllConnections();
                    dropped += closed;
                    fewestClosed = Math.min(fewestClosed, closed);
                    drops++;
                    context.note("dropped %d connections at %d of %d events handled", closed, handled, total);
                }
            }
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 20)), "every event handled and the journal done",
                    () -> rig.drained(total));
            long reconnected = rig.serviceBus().connectionsAccepted() - connectionsBefore;

            // The worker, receiving at each drop, loses at least its receiver's connection; how many more are open
            // then (its senders, the publisher's) depends on which the SDK has opened again yet, as it does lazily.
            OracleVerdict verdict = new LoadOracle(load, rig, false).verdict()
                    .expect(drops == DROPS && fewestClosed >= 1, "a drop found no connection to close (" + dropped
                            + " closed in " + drops + " drops)")
                    .expect(reconnected >= dropped, reconnected + " connections opened again after " + dropped
                            + " were dropped");
            String faults = "all connections dropped " + drops + "x (" + dropped + " closed); " + reconnected
                    + " reconnects";
            return DrillResult.of(name(), total + " events, " + load.expected.size() + " people", faults, verdict,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
