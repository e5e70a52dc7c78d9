package org.acslifecycle.emulators.servicebus.amqp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.message.Message;

/**
 * Responses of the request/response nodes ($cbs, $management). The status code must be an AMQP int and is sent
 * under both spellings: Java reads {@code statusCode} first, the JS CBS client only {@code status-code}.
 */
final class Responses {
    private Responses() {
    }

    static Message of(int status, String description, Object body) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("statusCode", status);
        props.put("status-code", status);
        props.put("statusDescription", description);
        props.put("status-description", description);
        Message response = Message.Factory.create();
        response.setApplicationProperties(new ApplicationProperties(props));
        response.setBody(new AmqpValue(body));
        return response;
    }

    static Message ok(Object body) {
        return of(200, "OK", body);
    }

    static Message error(BrokerException e) {
        Message response = of(e.status(), e.getMessage(), null);
        @SuppressWarnings("unchecked")
        Map<String, Object> props = response.getApplicationProperties().getValue();
        props.put("errorCondition", e.condition());
        props.put("error-condition", e.condition());
        return response;
    }
}
