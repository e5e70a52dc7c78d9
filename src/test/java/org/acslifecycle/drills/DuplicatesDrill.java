package org.acslifecycle.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Every event is sent three times: once, again at once with the same MessageId (Service Bus duplicate detection
 * may drop it), and once more later with a new MessageId for half of the events (so the worker's own de-duplication
 * by source and id must catch it). Must show: every state as the rules say, no identity beyond the rules', no ACS
 * operation twice.
 */
final class DuplicatesDrill implements Drill {

    @Override
    public String name() {
        return "duplicates";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        LifecycleLoad load = context.load();
        Random random = new Random(context.seed());
        int total = load.events.size();
        try (DrillRig rig = context.rig(context.defaultRig())) {
            rig.startWorker();
            List<LifecycleLoad.Event> late = new ArrayList<>(load.events);
            Collections.shuffle(late, random);
            int[] sent = new int[1];
            rig.publishInBackground(() -> {
                for (LifecycleLoad.Event event : load.events) {
                    rig.publish(event);
                    rig.publish(event); // same MessageId: a publisher's retry after a lost acknowledgement
                    sent[0] += 2;
                }
                // A republish with a new MessageId, in any order (late copies of events long applied): Service Bus
                // cannot tell these apart, only the ledger's handled-event log can; half get a new id, half
                // keep theirs (a third copy with the old id).
                for (LifecycleLoad.Event event : late) {
                    if (random.nextBoolean()) {
                        rig.publish(event, UUID.randomUUID().toString());
                    } else {
                        rig.publish(event);
                    }
                    sent[0]++;
                }
            }).join(Duration.ofMinutes(context.scale().pick(3, 30)));
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 20)), "every event handled and the journal done",
                    () -> rig.drained(total));
            // Tokens for a few active people, so that there are tokens the secrets drill must not find in a log.
            load.expected.entrySet().stream().filter(e -> e.getValue().state() == org.acslifecycle.core.PersonState.ACTIVE)
                    .limit(3).forEach(e -> rig.issueToken(e.getKey()));
            LoadOracle oracle = new LoadOracle(load, rig, false);
            OracleVerdict verdict = oracle.verdict();
            long creates = rig.acs().callCounts().count(org.acslifecycle.emulators.acs.Operation.CREATE_IDENTITY, 201);
            verdict = verdict.expect(creates == rig.acs().identities().size(),
                    creates + " creates answered 201 for " + rig.acs().identities().size() + " identities");
            String loadColumn = total + " events x3 (" + sent[0] + " sent)";
            return DrillResult.of(name(), loadColumn, "-", verdict);
        }
    }
}
