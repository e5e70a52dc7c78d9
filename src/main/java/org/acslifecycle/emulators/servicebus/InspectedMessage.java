package org.acslifecycle.emulators.servicebus;

import java.util.Map;

/** A read-only view of a stored message for tests and tools. */
public record InspectedMessage(long sequenceNumber, String messageId, String sessionId, String state, int deliveryCount,
        boolean locked, Map<String, Object> applicationProperties) {

    public String deadLetterReason() {
        Object value = applicationProperties.get("DeadLetterReason");
        return value == null ? null : value.toString();
    }

    public String deadLetterErrorDescription() {
        Object value = applicationProperties.get("DeadLetterErrorDescription");
        return value == null ? null : value.toString();
    }
}
