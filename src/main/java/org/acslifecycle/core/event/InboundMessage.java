package org.acslifecycle.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Service Bus message as the event contract sees it, free of any SDK type so the core stays
 * independent of Azure and AMQP.
 *
 * <p>Everything here is untrusted. Nulls are normalised to "absent" rather than refused, because the
 * messaging adapter copies these fields straight from the wire and a missing body or content type is
 * bad input to reject, not a programming error. The body array is not copied: it may be far larger
 * than the contract's limit, and copying it only to reject it would be waste.
 *
 * @param body                  the message body (empty when absent)
 * @param contentType           the AMQP content-type, if set and not blank
 * @param applicationProperties the AMQP application properties (values as the SDK gives them)
 */
public record InboundMessage(byte[] body, Optional<String> contentType, Map<String, Object> applicationProperties) {

    private static final byte[] NO_BODY = new byte[0];

    public InboundMessage {
        body = body == null ? NO_BODY : body;
        contentType = contentType == null ? Optional.empty() : contentType.filter(type -> !type.isBlank());
        // LinkedHashMap, not Map.copyOf: property maps from the wire may hold null values.
        applicationProperties = applicationProperties == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(applicationProperties));
    }

    /** Sizes only: a message's content must never reach a log line through toString. */
    @Override
    public String toString() {
        return "InboundMessage[body=" + body.length + " bytes, contentType=" + contentType.isPresent()
                + ", applicationProperties=" + applicationProperties.size() + "]";
    }
}
