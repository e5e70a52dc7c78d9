package org.acslifecycle.emulators.servicebus.amqp;

import java.time.Instant;
import java.util.Map;
import org.acslifecycle.emulators.entra.EntraTokenVerifier;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;

/**
 * The {@code $cbs} node: put-token with a SAS token signed by the configured namespace key, or (when an Entra ID
 * issuer is trusted) a {@code jwt}: an Entra ID access token for {@code https://servicebus.azure.net}, as a
 * {@code TokenCredential} client sends.
 */
final class CbsNode {
    /** The audience of Entra ID tokens for Service Bus (the SDK asks for {@code https://servicebus.azure.net/.default}). */
    static final String ENTRA_AUDIENCE = "https://servicebus.azure.net";

    private final SasTokenVerifier verifier;
    private final EntraTokenVerifier entra;

    CbsNode(SasTokenVerifier verifier, EntraTokenVerifier entra) {
        this.verifier = verifier;
        this.entra = entra;
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
        Object token = request.getBody() instanceof AmqpValue value ? value.getValue() : null;
        String presented = token instanceof String s ? s : null;
        String reason;
        if ("jwt".equals(String.valueOf(type)) && entra != null) {
            reason = entra.rejectionReason(presented, ENTRA_AUDIENCE, now);
        } else if ("servicebus.windows.net:sastoken".equals(String.valueOf(type))) {
            reason = verifier.rejectionReason(presented, now);
        } else {
            return Responses.error(new BrokerException("amqp:unauthorized-access", 401, (entra == null
                    ? "Only SharedAccessSignature tokens are supported by this emulator"
                    : "Only SharedAccessSignature and jwt tokens are supported by this emulator")
                    + " (type was '" + type + "')."));
        }
        if (reason != null) {
            return Responses.error(new BrokerException("amqp:unauthorized-access", 401, "Unauthorized access. " + reason));
        }
        connection.authorize();
        return Responses.of(202, "Accepted", null);
    }
}
