package org.acslifecycle.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * A message's CloudEvent attributes and data as they were read, before any rule is checked; both modes
 * are reduced to this so one set of rules ({@link AttributeRules}) serves both.
 *
 * @param attributes attribute name (without any binding prefix) to value: a {@link String} where the wire
 *                   had a string, otherwise whatever the wire had (a JSON node, a Date, a number...), so
 *                   the rules can say what was wrong; absent and null-valued attributes are left out
 * @param data       the event data, if any
 */
record Envelope(Map<String, Object> attributes, Optional<JsonNode> data) {

    static final Envelope EMPTY = new Envelope(Map.of(), Optional.empty());

    Envelope withData(Optional<JsonNode> newData) {
        return new Envelope(attributes, newData);
    }
}
