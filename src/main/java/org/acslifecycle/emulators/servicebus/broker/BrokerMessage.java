package org.acslifecycle.emulators.servicebus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.message.Message;

/**
 * One message held by one entity. The client's sections ({@link #content}) are shared, never changed (a topic's
 * subscriptions share them); everything the broker owns (sequence number, state, lock, delivery count, properties
 * changed by abandon/defer/dead-letter) lives here.
 */
public final class BrokerMessage {
    static final Comparator<BrokerMessage> BY_EXPIRY =
            Comparator.comparing((BrokerMessage m) -> m.expiresAt).thenComparingLong(m -> m.sequenceNumber);
    static final Comparator<BrokerMessage> BY_SCHEDULE =
            Comparator.comparing((BrokerMessage m) -> m.scheduledEnqueueTime).thenComparingLong(m -> m.sequenceNumber);

    private final Message content;
    private final long sequenceNumber;
    private final String messageId;
    private final String sessionId;
    private final Map<String, Object> propertyChanges = new LinkedHashMap<>();

    Instant enqueuedTime;
    Duration timeToLive;
    Instant expiresAt;
    Instant scheduledEnqueueTime;
    MessageState state;
    int deliveryCount;
    UUID lockToken;
    Instant lockedUntil;
    Object lockOwner;
    SessionInfo lockSession;
    boolean receivedBySequenceNumber;
    /** How many auto-forwarding hops brought this message here. */
    int hops;

    BrokerMessage(Message content, long sequenceNumber, String messageId, String sessionId) {
        this.content = content;
        this.sequenceNumber = sequenceNumber;
        this.messageId = messageId;
        this.sessionId = sessionId;
    }

    /** A copy for another entity (a subscription, the dead-letter queue) keeping sequence number and properties. */
    BrokerMessage copy() {
        BrokerMessage copy = new BrokerMessage(content, sequenceNumber, messageId, sessionId);
        copy.propertyChanges.putAll(propertyChanges);
        copy.enqueuedTime = enqueuedTime;
        copy.expiresAt = expiresAt;
        copy.timeToLive = timeToLive;
        copy.scheduledEnqueueTime = scheduledEnqueueTime;
        copy.state = state;
        copy.deliveryCount = deliveryCount;
        copy.hops = hops;
        return copy;
    }

    /** The client's sections with the broker's property changes applied, for forwarding to another entity. */
    Message contentWithChanges() {
        if (propertyChanges.isEmpty()) {
            return content;
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (content.getApplicationProperties() != null && content.getApplicationProperties().getValue() != null) {
            merged.putAll(content.getApplicationProperties().getValue());
        }
        merged.putAll(propertyChanges);
        return Message.Factory.create(content.getHeader(), null, content.getMessageAnnotations(), content.getProperties(),
                new ApplicationProperties(merged), content.getBody(), content.getFooter());
    }

    public Message content() {
        return content;
    }

    public long sequenceNumber() {
        return sequenceNumber;
    }

    public String messageId() {
        return messageId;
    }

    public String sessionId() {
        return sessionId;
    }

    public Instant enqueuedTime() {
        return enqueuedTime;
    }

    public Instant scheduledEnqueueTime() {
        return scheduledEnqueueTime;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public MessageState state() {
        return state;
    }

    public int deliveryCount() {
        return deliveryCount;
    }

    public UUID lockToken() {
        return lockToken;
    }

    public Instant lockedUntil() {
        return lockSession != null ? lockSession.lockedUntil : lockedUntil;
    }

    /** Application properties the broker added or changed; merged over the client's when the message is encoded. */
    public Map<String, Object> propertyChanges() {
        return propertyChanges;
    }

    void mergeProperties(Map<String, Object> changes) {
        if (changes == null) {
            return;
        }
        changes.forEach((k, v) -> {
            if (k != null && v != null) {
                propertyChanges.put(k, v);
            }
        });
    }

    boolean isLocked() {
        return lockToken != null;
    }
}
