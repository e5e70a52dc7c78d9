package org.acslifecycle.emulators.servicebus.broker;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionFilter;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.message.Message;

/** Evaluates a subscription's filters against a message (pure; no broker state). */
final class FilterMatcher {
    private FilterMatcher() {
    }

    static boolean matches(SubscriptionFilter filter, Message message) {
        if (filter instanceof SubscriptionFilter.TrueFilter) {
            return true;
        }
        if (filter instanceof SubscriptionFilter.CorrelationFilter c) {
            Properties p = message.getProperties() == null ? new Properties() : message.getProperties();
            return same(c.correlationId(), p.getCorrelationId())
                    && same(c.messageId(), p.getMessageId())
                    && same(c.to(), p.getTo())
                    && same(c.replyTo(), p.getReplyTo())
                    && same(c.label(), p.getSubject())
                    && same(c.sessionId(), p.getGroupId())
                    && same(c.replyToSessionId(), p.getReplyToGroupId())
                    && same(c.contentType(), p.getContentType())
                    && propertiesMatch(c.properties(), message);
        }
        return false;
    }

    private static boolean same(String expected, Object actual) {
        return expected == null || (actual != null && expected.equals(actual.toString()));
    }

    private static boolean propertiesMatch(Map<String, Object> expected, Message message) {
        if (expected.isEmpty()) {
            return true;
        }
        Map<?, ?> actual = message.getApplicationProperties() == null ? Map.of()
                : message.getApplicationProperties().getValue();
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (!valueEquals(e.getValue(), actual.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** JSON numbers (Integer/Double) must match AMQP numbers of any width: compare numerically. */
    private static boolean valueEquals(Object expected, Object actual) {
        if (expected instanceof Number a && actual instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        return actual != null && Objects.equals(String.valueOf(expected), String.valueOf(actual));
    }
}
