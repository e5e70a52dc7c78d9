package org.acslifecycle.emulators.servicebus.topology;

import java.util.Map;

/**
 * Which messages a subscription rule lets through. Correlation filters compare system properties and
 * application properties for equality (all given ones must match); SQL filters are not modelled beyond the
 * constant expressions {@code 1=1} and {@code 1=0}.
 */
public sealed interface SubscriptionFilter {

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
