package org.acslifecycle.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.acslifecycle.core.EventKey;

/**
 * The one derivation of the Service Bus MessageIds of lifecycle events (DESIGN §2). An event is the same event
 * when its {@code source} AND {@code id} are the same (the ledger's de-duplication key); two publishers may both
 * use id {@code 42}. So the MessageId is a name-based UUID of source and id: duplicate detection drops exactly
 * what the ledger would find a duplicate, and never one publisher's event for another's. Copies the worker or an
 * operator sends again (a delayed retry, a dead-letter replay) must not be dropped as the original: their
 * MessageIds are derived from the event's with a suffix.
 */
public final class MessageIds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageIds() {}

    /** The MessageId of the event {@code source} + {@code id}. */
    public static String of(String source, String id) {
        return uuid(source + "\n" + id);
    }

    public static String of(EventKey key) {
        return of(key.source(), key.id());
    }

    /**
     * A delayed retry's copy: each attempt's copy is its own message, and scheduling one again at another time
     * (a redelivered original) is a new copy too, as the ledger drops whichever copy comes second.
     */
    public static String retryCopy(EventKey key, int attempt, long scheduledAtMillis) {
        return uuid(of(key) + "/retry/" + attempt + "/" + scheduledAtMillis);
    }

    /**
     * A dead letter's replay: the same for a replay repeated after a crash (duplicate detection drops the second),
     * new for every time the event was dead-lettered (each dead letter has its own sequence number). A dead letter
     * that is no CloudEvent has no source and id: its own MessageId stands in for them.
     */
    public static String replayCopy(Optional<EventKey> key, String deadLetterMessageId, long sequenceNumber) {
        return uuid(key.map(MessageIds::of).orElse(deadLetterMessageId) + "/replay/" + sequenceNumber);
    }

    /**
     * The source and id of a message's CloudEvent, structured (the JSON body's attributes) or binary (the
     * {@code cloudEvents_} or {@code cloudEvents:} application properties); empty when it has no textual pair.
     * Not validation: the worker's contract judges the event; this only names it.
     */
    public static Optional<EventKey> keyOf(byte[] body, Map<String, Object> applicationProperties) {
        Optional<EventKey> structured = parse(body).flatMap(node -> {
            JsonNode source = node.path("source");
            JsonNode id = node.path("id");
            return source.isTextual() && id.isTextual()
                    ? Optional.of(new EventKey(source.asText(), id.asText())) : Optional.empty();
        });
        return structured.or(() -> binary(applicationProperties, "cloudEvents_"))
                .or(() -> binary(applicationProperties, "cloudEvents:"));
    }

    private static Optional<EventKey> binary(Map<String, Object> properties, String prefix) {
        Object source = properties.get(prefix + "source");
        Object id = properties.get(prefix + "id");
        return source instanceof String s && id instanceof String i ? Optional.of(new EventKey(s, i)) : Optional.empty();
    }

    private static Optional<JsonNode> parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
