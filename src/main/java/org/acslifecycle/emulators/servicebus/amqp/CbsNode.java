package org.acslifecycle.emulators.servicebus.amqp;

import java.time.Instant;
import java.util.Map;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;

/** The {@code $cbs} node: put-token with a SAS token signed by the configured namespace key. */
final class CbsNode {
    private final SasTokenVerifier verifier;

    CbsNode(SasTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Handles one request; marks the connection authorized when a valid token arrives. */
    Message handle(Message request, AmqpConnection connection, Instant now) {
        Map<?, ?> props = request.getApplicationProperties() == null ? Map.of()
                : request.getApplicationProperties().getValue();
        Object operation = props.get("operation");
        if (!"put-token".equals(String.valueOf(operation))) {
            return Responses.error(new BrokerException("amqp:not-implemented", 501,
                    "The $cbs operation '" + operation + "' is not supported."));
        }
        Object type = props.get("type");
        if (!"servicebus.windows.net:sastoken".equals(String.valueOf(type))) {
            return Responses.error(new BrokerException("amqp:unauthorized-access", 401,
                    "Only SharedAccessSignature tokens are supported by this emulator (type was '" + type + "')."));
        }
        Object token = request.getBody() instanceof AmqpValue value ? value.getValue() : null;
        String reason = verifier.rejectionReason(token instanceof String s ? s : null, now);
        if (reason != null) {
            return Responses.error(new BrokerException("amqp:unauthorized-access", 401, "Unauthorized access. " + reason));
        }
        connection.authorize();
        return Responses.of(202, "Accepted", null);
    }
}
