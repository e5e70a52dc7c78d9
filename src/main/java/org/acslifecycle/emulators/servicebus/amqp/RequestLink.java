package org.acslifecycle.emulators.servicebus.amqp;

import java.util.function.BiFunction;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/** A client's request link to $cbs or $management: each message is answered on the connection's reply link. */
final class RequestLink implements LinkEndpoint {
    private static final int CREDIT = 100;

    private final AmqpConnection connection;
    private final Receiver receiver;
    /** Gets the request and, for requests sent inside a transaction, the transaction id (else null). */
    private final BiFunction<Message, byte[], Message> handler;

    RequestLink(AmqpConnection connection, Receiver receiver, BiFunction<Message, byte[], Message> handler) {
        this.connection = connection;
        this.receiver = receiver;
        this.handler = handler;
        receiver.flow(CREDIT);
    }

    /** The whole encoded message of a complete delivery, or null while it is still partial. */
    static byte[] readComplete(Receiver receiver, Delivery delivery) {
        if (delivery.isPartial() || delivery != receiver.current()) {
            return null;
        }
        byte[] bytes = new byte[delivery.pending()];
        receiver.recv(bytes, 0, bytes.length);
        receiver.advance();
        return bytes;
    }

    @Override
    public void onDelivery(Delivery delivery) {
        byte[] bytes = readComplete(receiver, delivery);
        if (bytes == null) {
            return;
        }
        byte[] txnId = delivery.getRemoteState() instanceof TransactionalState txn ? MessageCodec.bytes(txn.getTxnId()) : null;
        if (!delivery.remotelySettled()) {
            delivery.disposition(Accepted.getInstance());
        }
        delivery.settle();
        if (receiver.getCredit() < CREDIT / 2) {
            receiver.flow(CREDIT - receiver.getCredit());
        }
        Message request = connection.codec().decode(bytes, 0, bytes.length);
        Message response = handler.apply(request, txnId);
        connection.reply(request, response);
    }

    @Override
    public void closed() {
    }
}
