package org.acslifecycle.emulators.servicebus.topology;

import java.util.Map;

/**
 * Which messages a subscription rule lets through. Correlation filters compare system properties and
 * application properties for equality (all given ones must match); SQL filters are not modelled beyond the
 * constant expressions {@code 1=1} and {@code 1=0}.
 */
public sealed interface SubscriptionFilter {

    /** The SQL filters this emulator honours: the constants {@code 1=1} and {@code 1=0}; anything else is refused. */
    static SubscriptionFilter sql(String expression) {
        String compact = expression == null ? "" : expression.replace(" ", "");
        if (compact.equals("1=1")) {
            return new TrueFilter();
        }
        if (compact.equals("1=0")) {
            return new FalseFilter();
        }
        // Better a clear refusal than a subscription that silently receives the wrong messages.
        throw new IllegalArgumentException("SQL filters other than 1=1 / 1=0 are not supported by this emulator");
    }

    record TrueFilter() implements SubscriptionFilter {
    }

    record FalseFilter() implements SubscriptionFilter {
    }

    /** Null fields are not compared; {@code label} is the SDKs' "subject". */
    record CorrelationFilter(String correlationId, String messageId, String to, String replyTo, String label,
            String sessionId, String replyToSessionId, String contentType, Map<String, Object> properties)
            implements SubscriptionFilter {
        public CorrelationFilter {
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }
}
