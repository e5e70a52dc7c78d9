package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import java.util.Optional;
import org.acslifecycle.core.event.InboundMessage;

/** Service Bus message → the transport-neutral message the event contract reads. */
final class InboundMessages {

    private InboundMessages() {}

    static InboundMessage of(ServiceBusReceivedMessage message) {
        return new InboundMessage(message.getBody().toBytes(), Optional.ofNullable(message.getContentType()),
                message.getApplicationProperties());
    }
}
