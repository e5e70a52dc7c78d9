package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes lifecycle events as a well-behaved publisher should (DESIGN §2): structured CloudEvents, the
 * MessageId derived from the event's source and id ({@link MessageIds}, so duplicate detection drops what the
 * ledger would call a duplicate) and the SessionId set to the subject. Bytes
 * that are not a CloudEvent object are sent as they are, which is how the demo sends its poison message.
 */
public final class EventPublisher {

    private final ServiceBusSenderClient sender;
    private final ObjectMapper json = new ObjectMapper();

    public EventPublisher(ServiceBusSenderClient sender) {
        this.sender = sender;
    }

    /** Sends one structured CloudEvent (or any bytes) with the MessageId of its source and id; returns the MessageId. */
    public String publish(byte[] body) {
        return publish(body, null);
    }

    /** As {@link #publish(byte[])}, with the given MessageId when it is not null. */
    public String publish(byte[] body, String messageId) {
        ServiceBusMessage message = new ServiceBusMessage(body);
        message.setContentType("application/cloudevents+json");
        Optional<JsonNode> event = parse(body);
        MessageIds.keyOf(body, Map.of()).map(MessageIds::of).ifPresent(message::setMessageId);
        if (messageId != null) {
            message.setMessageId(messageId);
        }
        // A session-enabled queue needs a SessionId on every message, poison ones included.
        message.setSessionId(event.map(e -> e.path("subject")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .orElse("unknown-subject"));
        sender.sendMessage(message);
        return message.getMessageId();
    }

    private Optional<JsonNode> parse(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The JSON of a structured CloudEvent for a lifecycle event. */
    public static byte[] cloudEvent(String id, String source, String type, String subject, String time, String reason) {
        return cloudEvent(id, source, type, subject, time, reason, null);
    }

    /** As above, taking effect at {@code effectiveTime} (RFC 3339) when it is not null. */
    public static byte[] cloudEvent(String id, String source, String type, String subject, String time, String reason,
            String effectiveTime) {
        ObjectMapper mapper = new ObjectMapper();
        var node = mapper.createObjectNode();
        node.put("specversion", "1.0");
        node.put("id", id);
        node.put("source", source);
        node.put("type", type);
        node.put("subject", subject);
        node.put("time", time);
        node.put("datacontenttype", "application/json");
        if (reason != null || effectiveTime != null) {
            var data = node.putObject("data");
            if (reason != null) {
                data.put("reason", reason);
            }
            if (effectiveTime != null) {
                data.put("effectiveTime", effectiveTime);
            }
        }
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
