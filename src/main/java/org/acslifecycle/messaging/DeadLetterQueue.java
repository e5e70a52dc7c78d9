package org.acslifecycle.messaging;

import com.azure.core.credential.TokenCredential;
import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle queue's dead-letter sub-queue, through the Service Bus SDK. A dead-letter sub-queue never has
 * sessions, also under the session-enabled queue (Service Bus never makes a DLQ session-enabled), so this uses a
 * plain receiver with {@link SubQueue#DEAD_LETTER_QUEUE} in both modes; a session receiver there would wait for a
 * session that never comes.
 */
public final class DeadLetterQueue implements AutoCloseable {

    /** Application properties the copy gets on replay (DESIGN §5). */
    public static final String REPLAYED_BY = DeadLetter.DETAIL_PREFIX + "replayed-by";
    public static final String REPLAY_REASON = DeadLetter.DETAIL_PREFIX + "replay-reason";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    private static final int PAGE = 100;
    /** How long one receive waits for dead letters: the sub-queue is not being written to while we hunt. */
    private static final Duration RECEIVE_WAIT = Duration.ofSeconds(3);

    private final ServiceBusClientBuilder builder;
    private final String queue;
    private final ServiceBusReceiverClient receiver;
    private ServiceBusSenderClient sender;

    public DeadLetterQueue(ServiceBusSettings settings) {
        this(ServiceBusClients.builder(settings), settings);
    }

    /** With the Entra ID credential to use for a namespace (no connection string). */
    public DeadLetterQueue(ServiceBusSettings settings, Supplier<TokenCredential> entraCredential) {
        this(ServiceBusClients.builder(settings, entraCredential), settings);
    }

    private DeadLetterQueue(ServiceBusClientBuilder builder, ServiceBusSettings settings) {
        // One builder: the receiver and the sender share one AMQP connection.
        this.builder = builder;
        this.queue = settings.queue();
        this.receiver = builder.receiver().queueName(queue).subQueue(SubQueue.DEAD_LETTER_QUEUE)
                .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).disableAutoComplete().prefetchCount(0).buildClient();
    }

    public String queue() {
        return queue;
    }

    /** Up to {@code max} dead letters, oldest first, without locking or removing any. */
    public List<ServiceBusReceivedMessage> peek(int max) {
        List<ServiceBusReceivedMessage> found = new ArrayList<>();
        long from = 0;
        while (found.size() < max) {
            int before = found.size();
            for (ServiceBusReceivedMessage message : receiver.peekMessages(Math.min(PAGE, max - found.size()), from)) {
                found.add(message);
                from = Math.max(from, message.getSequenceNumber() + 1);
            }
            if (found.size() == before) {
                break;
            }
        }
        return found;
    }

    /** The dead letter with this sequence number, peeked. */
    public Optional<ServiceBusReceivedMessage> peek(long sequenceNumber) {
        for (ServiceBusReceivedMessage message : receiver.peekMessages(1, sequenceNumber)) {
            if (message.getSequenceNumber() == sequenceNumber) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    /** What to do with one dead letter received in PEEK_LOCK; it must settle the message itself. */
    public interface Action {
        void apply(ServiceBusReceivedMessage deadLetter);
    }

    /**
     * Receives dead letters in PEEK_LOCK until every wanted sequence number has been handed to {@code action}
     * or the sub-queue has nothing more to give. Service Bus cannot receive a given sequence number (only
     * deferred messages), so the others are held locked while the hunt goes on, which keeps them from being
     * received twice, and then abandoned: they stay dead letters, exactly as they were.
     *
     * @return the sequence numbers handed to the action, in the order received
     */
    public List<Long> receiveEach(Set<Long> wanted, Action action) {
        Set<Long> remaining = new LinkedHashSet<>(wanted);
        List<Long> done = new ArrayList<>();
        List<ServiceBusReceivedMessage> held = new ArrayList<>();
        try {
            while (!remaining.isEmpty()) {
                int received = 0;
                // The sync receiver waits out RECEIVE_WAIT unless it gets as many as asked for: ask for no more
                // than are wanted, so the usual case (the wanted ones are the oldest) returns at once.
                int batch = Math.min(PAGE, remaining.size());
                for (ServiceBusReceivedMessage message : receiver.receiveMessages(batch, RECEIVE_WAIT)) {
                    received++;
                    if (!remaining.remove(message.getSequenceNumber())) {
                        held.add(message);
                        continue;
                    }
                    try {
                        action.apply(message);
                    } catch (RuntimeException failure) {
                        held.add(message);
                        throw failure;
                    }
                    done.add(message.getSequenceNumber());
                }
                if (received == 0) {
                    break;
                }
            }
        } finally {
            held.forEach(this::abandonQuietly);
        }
        return done;
    }

    public void complete(ServiceBusReceivedMessage deadLetter) {
        receiver.complete(deadLetter);
    }

    /** Sends a message to the main queue (a replayed copy). */
    public void send(ServiceBusMessage message) {
        if (sender == null) {
            sender = builder.sender().queueName(queue).buildClient();
        }
        sender.sendMessage(message);
    }

    private void abandonQuietly(ServiceBusReceivedMessage message) {
        try {
            receiver.abandon(message);
        } catch (RuntimeException lockLost) {
            // The lock expired (a long hunt): the message is a dead letter again all the same.
            LOG.debug("could not abandon dead letter {}: {}", message.getSequenceNumber(), lockLost.getMessage());
        }
    }

    /**
     * The copy of a dead letter that goes back to the main queue. The body is untouched (so the CloudEvent id,
     * the ledger's de-duplication key, is the same) and so are SessionId, content type and the application
     * properties a binary-mode CloudEvent lives in. The dead-letter properties and our own {@code acs-lifecycle-*}
     * details go (a fresh attempt counter gives the replay the full set of retries). The MessageId is new, or
     * duplicate detection would drop the copy as the original, and it is derived from the event's source and id
     * ({@link MessageIds#replayCopy}) and the dead letter's sequence number: a replay repeated after a crash sends
     * the same MessageId and is dropped by duplicate detection instead of being delivered twice.
     */
    public static ServiceBusMessage replayCopy(ServiceBusReceivedMessage deadLetter, String operator, String reason) {
        byte[] body = DeadLetter.bodyOf(deadLetter);
        ServiceBusMessage copy = new ServiceBusMessage(BinaryData.fromBytes(body));
        copy.setMessageId(MessageIds.replayCopy(MessageIds.keyOf(body, deadLetter.getApplicationProperties()),
                deadLetter.getMessageId(), deadLetter.getSequenceNumber()));
        copy.setSessionId(deadLetter.getSessionId());
        copy.setContentType(deadLetter.getContentType());
        copy.setCorrelationId(deadLetter.getCorrelationId());
        copy.setSubject(deadLetter.getSubject());
        for (Map.Entry<String, Object> property : deadLetter.getApplicationProperties().entrySet()) {
            String key = property.getKey();
            if (!key.startsWith(DeadLetter.DETAIL_PREFIX) && !key.equals("DeadLetterReason")
                    && !key.equals("DeadLetterErrorDescription")) {
                copy.getApplicationProperties().put(key, property.getValue());
            }
        }
        copy.getApplicationProperties().put(REPLAYED_BY, operator);
        copy.getApplicationProperties().put(REPLAY_REASON, reason);
        return copy;
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        receiver.close();
    }
}
