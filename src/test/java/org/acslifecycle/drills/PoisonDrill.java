package org.acslifecycle.drills;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.acslifecycle.app.WorkerContracts;
import org.acslifecycle.app.WorkerProcess;
import org.acslifecycle.core.event.EventContract;
import org.acslifecycle.core.event.FuzzedMessages;
import org.acslifecycle.core.event.InboundMessage;
import org.acslifecycle.core.event.ParsedEvent;
import org.acslifecycle.emulators.servicebus.InspectedMessage;

/**
 * Poison among good events: the event contract's own fuzzer ({@link FuzzedMessages}: random bytes, broken and
 * mutated CloudEvents in both modes, JSON thousands of levels deep, bodies around the size limit, invalid UTF-8,
 * hostile application properties) makes the poison, spread evenly among the good events. Only fuzzed
 * messages the worker's contract rejects are sent (the fuzzer also makes valid ones, on purpose), and the contract
 * says beforehand with which reason. Must show: every poison message dead-lettered with the {@code DeadLetterReason}
 * the contract gave, no good event dead-lettered, every good event applied as the rules say, and the worker alive
 * and ready at the end.
 */
final class PoisonDrill implements Drill {

    private static final String POISON = "poison-";

    @Override
    public String name() {
        return "poison";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        long started = System.nanoTime();
        LifecycleLoad load = context.load(context.scale().events(name()));
        int total = load.events.size();
        int poisonCount = context.scale().poisonMessages();
        try (DrillRig rig = context.rig(context.defaultRig())) {
            EventContract contract = WorkerContracts.of(rig.configFile());
            // Twice as many as needed: some cannot go over AMQP at all and are replaced (see sendable).
            List<InboundMessage> poison = poison(contract, 2 * poisonCount);
            WorkerProcess worker = rig.startWorker();
            // A sender of its own that gives up fast: a poison send the broker neither accepted nor refused once hung
            // the whole drill (in ReliabilityDrillsSmallTest); such a send now counts as refused after 5 s.
            ServiceBusSenderClient poisonSender = new ServiceBusClientBuilder()
                    .connectionString(rig.serviceBus().connectionString())
                    .retryOptions(new AmqpRetryOptions().setTryTimeout(Duration.ofSeconds(5)).setMaxRetries(0))
                    .sender().queueName(rig.queue()).buildClient();
            Map<String, String> expectedReason = new HashMap<>();
            int[] stringified = new int[1];
            int[] refused = new int[1];
            java.util.Iterator<InboundMessage> candidates = poison.iterator();
            rig.publishInBackground(() -> {
                int sent = 0;
                for (int i = 0; i < total; i++) {
                    rig.publish(load.events.get(i));
                    // The poison spread evenly over the load: as many sent by now as this share of the good events.
                    long due = (long) poisonCount * (i + 1) / total;
                    while (sent < due && candidates.hasNext()) {
                        String id = POISON + sent;
                        InboundMessage message = candidates.next();
                        Optional<InboundMessage> wire = sendable(poisonSender, message, id);
                        if (wire.isEmpty()) {
                            refused[0]++;
                            continue;
                        }
                        if (wire.get() != message) {
                            stringified[0]++;
                        }
                        expectedReason.put(id, reason(contract, wire.get()));
                        sent++;
                    }
                }
            }).join(Duration.ofMinutes(context.scale().pick(2, 10)));
            poisonSender.close();
            Set<String> goodIds = load.events.stream().map(LifecycleLoad.Event::id).collect(Collectors.toSet());
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(3, 20)),
                    "every good event handled, every poison message dead-lettered and the journal done",
                    () -> rig.handledEventIds().containsAll(goodIds) && rig.queueSize() == 0 && rig.journalDone()
                            && rig.serviceBus().deadLetters(rig.queue()).size() >= expectedReason.size());

            List<InspectedMessage> deadLetters = rig.serviceBus().deadLetters(rig.queue());
            Map<String, InspectedMessage> byId = new LinkedHashMap<>();
            deadLetters.forEach(d -> byId.put(d.messageId(), d));
            long goodDeadLettered = deadLetters.stream().filter(d -> !expectedReason.containsKey(d.messageId())).count();
            List<String> missing = new ArrayList<>();
            List<String> wrongReason = new ArrayList<>();
            Map<String, Integer> reasons = new TreeMap<>();
            expectedReason.forEach((id, reason) -> {
                InspectedMessage deadLetter = byId.get(id);
                if (deadLetter == null) {
                    missing.add(id);
                    return;
                }
                reasons.merge(String.valueOf(deadLetter.deadLetterReason()), 1, Integer::sum);
                if (!reason.equals(deadLetter.deadLetterReason()) || isBlank(deadLetter.deadLetterErrorDescription())) {
                    wrongReason.add(id + " has " + deadLetter.deadLetterReason() + " ("
                            + deadLetter.deadLetterErrorDescription() + "), the contract gives " + reason);
                }
            });
            int ready = rig.readiness(worker);

            OracleVerdict oracle = new LoadOracle(load, rig, false).verdict();
            // The oracle counts every dead letter as a good one; here only those that are not poison are.
            OracleVerdict verdict = new OracleVerdict(oracle.lost(), oracle.duplicated(), goodDeadLettered,
                    oracle.findings())
                    .expect(expectedReason.size() == poisonCount, expectedReason.size() + " poison messages sent of "
                            + poisonCount)
                    .expect(missing.isEmpty(), missing.size() + " poison messages not dead-lettered, e.g. " + missing)
                    .expect(wrongReason.isEmpty(), wrongReason.size() + " dead-lettered with another reason or no "
                            + "description, e.g. " + wrongReason.stream().limit(1).toList())
                    .expect(worker.isAlive() && ready == 200, "the worker is " + (worker.isAlive() ? "" : "not ")
                            + "alive, readiness " + ready);
            String faults = expectedReason.size() + " fuzzed poison messages sent (" + stringified[0]
                    + " with properties as strings, " + refused[0] + " more refused or left unanswered by the broker); dead-lettered "
                    + reasons;
            return DrillResult.of(name(), total + " good events, " + load.expected.size() + " people", faults, verdict,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** {@code count} fuzzed messages the worker's contract rejects. */
    private static List<InboundMessage> poison(EventContract contract, int count) {
        List<InboundMessage> poison = new ArrayList<>(count);
        while (poison.size() < count) {
            FuzzedMessages.sample(count, FuzzedMessages.messages()).stream()
                    .filter(m -> contract.parse(m) instanceof ParsedEvent.Rejected)
                    .limit(count - poison.size()).forEach(poison::add);
        }
        return poison;
    }

    /**
     * Sends {@code message}; when that fails because the SDK cannot encode one of its application properties (the
     * fuzzer makes some no AMQP client could send), sends it with every property as a string instead. A message
     * the broker cannot decode even so (e.g. a content type that is no AMQP symbol), or does not answer within the
     * sender's 5 s, never reaches any worker: it is not counted as sent, and another takes its place. Returns what
     * was sent.
     */
    private static Optional<InboundMessage> sendable(ServiceBusSenderClient sender, InboundMessage message, String id) {
        String session = "poison-session-" + Math.floorMod(id.hashCode(), 8);
        try {
            sendAsIs(sender, message, id, session);
            return Optional.of(message);
        } catch (RuntimeException unencodable) {
            Map<String, Object> strings = new LinkedHashMap<>();
            message.applicationProperties().forEach((key, value) -> strings.put(key, String.valueOf(value)));
            InboundMessage wire = new InboundMessage(message.body(), message.contentType(), strings);
            try {
                sendAsIs(sender, wire, id, session);
                return Optional.of(wire);
            } catch (RuntimeException refused) {
                return Optional.empty();
            }
        }
    }

    /**
     * Sends {@code message} as it is, body, content type and application properties (no well-behaved publisher
     * would), with this MessageId and SessionId (a session queue needs one).
     */
    private static void sendAsIs(ServiceBusSenderClient sender, InboundMessage message, String messageId,
            String sessionId) {
        ServiceBusMessage raw = new ServiceBusMessage(message.body());
        message.contentType().ifPresent(raw::setContentType);
        raw.getApplicationProperties().putAll(message.applicationProperties());
        raw.setMessageId(messageId);
        raw.setSessionId(sessionId);
        sender.sendMessage(raw);
    }

    private static String reason(EventContract contract, InboundMessage message) {
        return contract.parse(message) instanceof ParsedEvent.Rejected rejected ? rejected.rejection().reason().code()
                : "(accepted once sent as strings)";
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
