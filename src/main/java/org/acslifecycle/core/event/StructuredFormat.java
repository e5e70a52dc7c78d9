package org.acslifecycle.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** CloudEvents JSON event format: the whole event is one JSON object in the body. */
final class StructuredFormat {

    private StructuredFormat() {
    }

    static Envelope read(byte[] body, StrictJson json) throws ContractViolation {
        if (body.length == 0) {
            throw ContractViolation.invalid("body", "not-empty", "body is empty; a structured CloudEvent is a JSON object");
        }
        JsonNode event = json.read(body, "body");
        if (!event.isObject()) {
            throw ContractViolation.invalid("body", "json-object",
                    "body is a JSON " + AttributeRules.kindOf(event) + ", not a CloudEvent object");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        Optional<JsonNode> data = Optional.empty();
        for (Iterator<Map.Entry<String, JsonNode>> fields = event.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue; // the JSON format reads a null attribute as an absent one
            }
            if (field.getKey().equals("data")) {
                data = Optional.of(value);
            } else {
                attributes.put(field.getKey(), value.isTextual() ? value.textValue() : value);
            }
        }
        return new Envelope(attributes, data);
    }
}
