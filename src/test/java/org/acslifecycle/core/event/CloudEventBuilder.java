package org.acslifecycle.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Test data: a valid offboarding CloudEvent by default, changed one attribute at a time, sent in either mode. */
final class CloudEventBuilder {

    static final String STRUCTURED = "application/cloudevents+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private CloudEventBuilder() {
        attributes.put("specversion", "1.0");
        attributes.put("id", "evt-0001");
        attributes.put("source", "/hr/workday");
        attributes.put("type", "user.offboarded");
        attributes.put("subject", "emp-12345");
        attributes.put("time", "2026-01-31T09:30:00Z");
        attributes.put("data", Map.of("reason", "Termination"));
    }

    static CloudEventBuilder anEvent() {
        return new CloudEventBuilder();
    }

    /** Any JSON-serialisable value; {@code null} writes an explicit JSON null. */
    CloudEventBuilder with(String attribute, Object value) {
        attributes.put(attribute, value);
        return this;
    }

    CloudEventBuilder without(String attribute) {
        attributes.remove(attribute);
        return this;
    }

    String json() {
        try {
            return JSON.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] bytes() {
        return json().getBytes(StandardCharsets.UTF_8);
    }

    InboundMessage structured() {
        return new InboundMessage(bytes(), Optional.of(STRUCTURED), Map.of());
    }

    /** Binary mode: every attribute but data as a prefixed application property, data as a JSON body. */
    InboundMessage binary(String prefix) {
        Map<String, Object> properties = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (!name.equals("data")) {
                properties.put(prefix + name, value);
            }
        });
        byte[] body = new byte[0];
        if (attributes.containsKey("data")) {
            try {
                body = JSON.writeValueAsBytes(attributes.get("data"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new InboundMessage(body, Optional.of("application/json"), properties);
    }

    InboundMessage binary() {
        return binary("cloudEvents_");
    }

    static InboundMessage structured(String json) {
        return structured(json.getBytes(StandardCharsets.UTF_8));
    }

    static InboundMessage structured(byte[] body) {
        return new InboundMessage(body, Optional.of(STRUCTURED), Map.of());
    }
}
