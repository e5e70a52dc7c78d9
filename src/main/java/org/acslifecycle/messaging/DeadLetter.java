package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One dead letter as an operator sees it: where it sits, why it is there, and which event it carries.
 * Everything here comes from an untrusted message, so the text forms escape it before printing.
 *
 * @param details the {@code acs-lifecycle-*} application properties the worker added when it dead-lettered
 * @param event the CloudEvent's attributes, when the message carries one we can read
 */
public record DeadLetter(
        long sequenceNumber,
        String messageId,
        String sessionId,
        OffsetDateTime enqueuedTime,
        String reason,
        String description,
        Map<String, Object> details,
        Optional<EventSummary> event,
        int bodyBytes) {

    /** Application properties of ours start with this (DESIGN §5; see LifecycleMessageHandler). */
    public static final String DETAIL_PREFIX = "acs-lifecycle-";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static DeadLetter of(ServiceBusReceivedMessage message) {
        Map<String, Object> details = new TreeMap<>();
        message.getApplicationProperties().forEach((key, value) -> {
            if (key.startsWith(DETAIL_PREFIX)) {
                details.put(key, value);
            }
        });
        byte[] body = bodyOf(message);
        return new DeadLetter(message.getSequenceNumber(), message.getMessageId(), message.getSessionId(),
                message.getEnqueuedTime(), message.getDeadLetterReason(), message.getDeadLetterErrorDescription(),
                details, EventSummary.of(body, message.getApplicationProperties()), body.length);
    }

    public static byte[] bodyOf(ServiceBusReceivedMessage message) {
        // A message with an AMQP value or sequence body (not ours, but possible) has no binary body.
        try {
            return message.getBody().toBytes();
        } catch (RuntimeException notBinary) {
            return new byte[0];
        }
    }

    /** The CloudEvent attributes the ledger and the operator care about; any of them may be missing. */
    public record EventSummary(Optional<String> id, Optional<String> source, Optional<String> type, Optional<String> subject,
            Optional<Instant> time) {

        /** A structured CloudEvent body, else binary-mode {@code cloudEvents_*} / {@code cloudEvents:*} properties. */
        static Optional<EventSummary> of(byte[] body, Map<String, Object> properties) {
            Optional<JsonNode> structured = jsonObject(body);
            if (structured.isPresent()) {
                JsonNode node = structured.get();
                return Optional.of(new EventSummary(text(node, "id"), text(node, "source"), text(node, "type"),
                        text(node, "subject"), text(node, "time").flatMap(EventSummary::instant)));
            }
            Optional<String> id = property(properties, "id");
            if (id.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new EventSummary(id, property(properties, "source"), property(properties, "type"),
                    property(properties, "subject"), property(properties, "time").flatMap(EventSummary::instant)));
        }

        private static Optional<String> text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        }

        private static Optional<String> property(Map<String, Object> properties, String attribute) {
            Object value = properties.getOrDefault("cloudEvents_" + attribute, properties.get("cloudEvents:" + attribute));
            return value == null ? Optional.empty() : Optional.of(value.toString());
        }

        private static Optional<Instant> instant(String text) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException notRfc3339) {
                return Optional.empty();
            }
        }
    }

    /** The body as JSON when it is a JSON object, which is how the contract decides "structured". */
    public static Optional<JsonNode> jsonObject(byte[] body) {
        if (utf8(body).isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The body as text if it is valid UTF-8, strictly decoded (no replacement characters). */
    public static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }
}
