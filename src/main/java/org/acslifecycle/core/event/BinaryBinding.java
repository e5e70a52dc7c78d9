package org.acslifecycle.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CloudEvents AMQP binding, binary mode: attributes are application properties prefixed
 * {@code cloudEvents_} (preferred, as JMS selectors cannot use a colon) or {@code cloudEvents:}, the data is
 * the body and its media type is the message's content-type.
 */
final class BinaryBinding {

    static final String UNDERSCORE_PREFIX = "cloudEvents_";
    static final String COLON_PREFIX = "cloudEvents:";

    private BinaryBinding() {
    }

    static boolean applies(Map<String, Object> applicationProperties) {
        return applicationProperties.keySet().stream().anyMatch(BinaryBinding::isPrefixed);
    }

    /** The attributes carried in application properties; the content-type becomes {@code datacontenttype}. */
    static Map<String, Object> attributes(Map<String, Object> applicationProperties, Optional<String> contentType) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        applicationProperties.forEach((key, value) -> {
            if (value != null && isPrefixed(key)) {
                attributes.putIfAbsent(key.substring(UNDERSCORE_PREFIX.length()), value);
            }
        });
        contentType.ifPresent(type -> attributes.put("datacontenttype", type));
        return attributes;
    }

    /** The binding asks for one separator throughout; a mix would let two values claim one attribute. */
    static void requireOneSeparator(Map<String, Object> applicationProperties) throws ContractViolation {
        boolean underscore = false;
        boolean colon = false;
        for (String key : applicationProperties.keySet()) {
            underscore |= key != null && key.startsWith(UNDERSCORE_PREFIX);
            colon |= key != null && key.startsWith(COLON_PREFIX);
        }
        if (underscore && colon) {
            throw ContractViolation.invalid("application-properties", "one-prefix",
                    "application properties mix the cloudEvents_ and cloudEvents: prefixes; use one throughout");
        }
    }

    /** An empty body is an event without data. */
    static Optional<JsonNode> data(byte[] body, StrictJson json) throws ContractViolation {
        if (body.length == 0) {
            return Optional.empty();
        }
        JsonNode data = json.read(body, "data");
        return data.isNull() ? Optional.empty() : Optional.of(data);
    }

    private static boolean isPrefixed(String key) {
        return key != null && (key.startsWith(UNDERSCORE_PREFIX) || key.startsWith(COLON_PREFIX));
    }
}
