package org.acslifecycle.emulators.servicebus.amqp;

/** A client's response link of $cbs or $management; replies are routed to it by reply-to address. */
final class ReplyLink implements LinkEndpoint {
    private final AmqpConnection connection;
    private final org.apache.qpid.proton.engine.Sender sender;

    ReplyLink(AmqpConnection connection, org.apache.qpid.proton.engine.Sender sender) {
        this.connection = connection;
        this.sender = sender;
    }

    @Override
    public void closed() {
        connection.unregisterReplyLink(sender);
    }
}
