package org.acslifecycle.emulators.servicebus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.message.Message;

/**
 * Where clients send: a queue (one destination) or a topic (one destination per subscription). Assigns sequence
 * numbers, applies duplicate detection and TTL, and keeps a topic's scheduled messages until they are due.
 */
public final class SendTarget {
    static final Symbol SCHEDULED_ENQUEUE_TIME = Symbol.valueOf("x-opt-scheduled-enqueue-time");
    static final int MAX_FORWARD_HOPS = 4;

    private final String name;
    private final boolean topic;
    private final List<MessageEntity> destinations;
    private final Duration defaultTimeToLive;
    private final DuplicateDetector duplicates;
    /** Topic messages scheduled for later; queue messages wait inside the queue instead (peek shows them there). */
    private final TreeMap<Long, BrokerMessage> scheduledOnTopic = new TreeMap<>();
    private final TreeSet<BrokerMessage> dueOrder = new TreeSet<>(BrokerMessage.BY_SCHEDULE);
    private long nextSequenceNumber = 1;

    SendTarget(String name, boolean topic, List<MessageEntity> destinations, Duration defaultTimeToLive,
            DuplicateDetector duplicates) {
        this.name = name;
        this.topic = topic;
        this.destinations = List.copyOf(destinations);
        this.defaultTimeToLive = defaultTimeToLive;
        this.duplicates = duplicates;
    }

    public String name() {
        return name;
    }

    public boolean isTopic() {
        return topic;
    }

    /** Checks every message first so a batch is accepted or refused as a whole. */
    public void send(List<Message> batch, Instant now) {
        batch.forEach(this::validate);
        for (Message message : batch) {
            accept(message, now);
        }
    }

    /** Throws what {@link #send} would refuse, without storing anything (transactions check before enlisting). */
    public void check(List<Message> batch) {
        batch.forEach(this::validate);
    }

    /** Stores messages carrying x-opt-scheduled-enqueue-time; returns their sequence numbers for cancelling. */
    public long[] schedule(List<Message> batch, Instant now) {
        batch.forEach(this::validate);
        long[] sequenceNumbers = new long[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            sequenceNumbers[i] = accept(batch.get(i), now);
        }
        return sequenceNumbers;
    }

    /**
     * Transactional scheduling: the SDK needs the sequence numbers at once, the messages appear only on commit.
     * Reserves numbers now; {@link #scheduleReserved} stores the messages under them later.
     */
    public long[] reserveSequenceNumbers(int count) {
        long[] reserved = new long[count];
        for (int i = 0; i < count; i++) {
            reserved[i] = nextSequenceNumber++;
        }
        return reserved;
    }

    public void scheduleReserved(List<Message> batch, long[] sequenceNumbers, Instant now) {
        for (int i = 0; i < batch.size(); i++) {
            accept(batch.get(i), now, 0, sequenceNumbers[i]);
        }
    }

    public void cancelScheduled(long[] sequenceNumbers) {
        for (long seq : sequenceNumbers) {
            if (topic) {
                BrokerMessage cancelled = scheduledOnTopic.remove(seq);
                if (cancelled == null) {
                    throw BrokerException.messageNotFound(seq);
                }
                dueOrder.remove(cancelled);
            } else {
                destinations.get(0).cancelScheduled(seq);
            }
        }
    }

    private void validate(Message message) {
        boolean needsSession = destinations.stream().anyMatch(MessageEntity::requiresSession);
        if (needsSession && (message.getGroupId() == null || message.getGroupId().isEmpty())) {
            throw BrokerException.notAllowed("The SessionId was not set on a message, and it cannot be sent to the entity '"
                    + name + "'. Entities that have session support enabled can only receive messages that have the SessionId set.");
        }
    }

    /** Auto-forwarding from another entity; the service gives up after 4 hops (loops end there too). */
    void forward(Message message, int hops, Instant now) {
        if (hops > MAX_FORWARD_HOPS) {
            throw new BrokerException("MaxTransferHopCountExceeded", 400, "The maximum number of allowed hops when "
                    + "forwarding between queues has been exceeded. This value is set to " + MAX_FORWARD_HOPS + ".");
        }
        validate(message);
        accept(message, now, hops, null);
    }

    private long accept(Message message, Instant now) {
        return accept(message, now, 0, null);
    }

    /** Returns the sequence number, or -1 for a duplicate that was accepted and dropped. */
    private long accept(Message message, Instant now, int hops, Long reservedSequenceNumber) {
        if (message.getMessageId() == null) {
            // Service Bus assigns an id when the application sets none; the SDKs do not.
            message.setMessageId(UUID.randomUUID().toString().replace("-", ""));
        }
        String messageId = String.valueOf(message.getMessageId());
        if (duplicates != null && duplicates.isDuplicate(messageId, now)) {
            return -1;
        }
        long seq = reservedSequenceNumber != null ? reservedSequenceNumber : nextSequenceNumber++;
        Instant scheduledAt = scheduledTime(message);
        BrokerMessage template = new BrokerMessage(message, seq, messageId, message.getGroupId());
        template.hops = hops;
        template.enqueuedTime = now;
        template.state = MessageState.ACTIVE;
        Long headerTtl = message.getHeader() != null && message.getHeader().getTtl() != null
                ? message.getHeader().getTtl().longValue() : null;
        template.timeToLive = MessageEntity.min(headerTtl == null || headerTtl == 0 ? null : Duration.ofMillis(headerTtl),
                defaultTimeToLive);
        if (scheduledAt != null && scheduledAt.isAfter(now)) {
            template.state = MessageState.SCHEDULED;
            template.scheduledEnqueueTime = scheduledAt;
            if (topic) {
                scheduledOnTopic.put(seq, template);
                dueOrder.add(template);
                return seq;
            }
        }
        fanOut(template, now);
        return seq;
    }

    private void fanOut(BrokerMessage template, Instant now) {
        for (MessageEntity destination : destinations) {
            if (!destination.accepts(template.content())) {
                continue;
            }
            BrokerMessage copy = template.copy();
            copy.timeToLive = MessageEntity.min(template.timeToLive, destination.settings().defaultMessageTimeToLive());
            destination.enqueue(copy, now);
            destination.dispatch(now);
        }
    }

    void sweep(Instant now) {
        while (!dueOrder.isEmpty() && !dueOrder.first().scheduledEnqueueTime.isAfter(now)) {
            BrokerMessage m = dueOrder.pollFirst();
            scheduledOnTopic.remove(m.sequenceNumber());
            m.state = MessageState.ACTIVE;
            m.enqueuedTime = m.scheduledEnqueueTime;
            fanOut(m, now);
        }
    }

    int scheduledOnTopicCount() {
        return scheduledOnTopic.size();
    }

    private static Instant scheduledTime(Message message) {
        if (message.getMessageAnnotations() == null || message.getMessageAnnotations().getValue() == null) {
            return null;
        }
        Object value = message.getMessageAnnotations().getValue().get(SCHEDULED_ENQUEUE_TIME);
        return value instanceof Date date ? date.toInstant() : null;
    }
}
