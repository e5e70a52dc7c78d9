package org.acslifecycle.emulators.servicebus.amqp;

import java.util.List;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.acslifecycle.emulators.servicebus.broker.SendTarget;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/** A client's sender link to a queue or topic: stores each transfer (single or batch) and settles it. */
final class EntitySendLink implements LinkEndpoint {
    static final int MAX_MESSAGE_SIZE = 256 * 1024;
    private static final int CREDIT = 1000;

    private final AmqpConnection connection;
    private final Receiver receiver;
    private final SendTarget target;
    /** Bytes of the current oversized transfer already thrown away, so a huge message never sits in memory. */
    private long discarded;

    EntitySendLink(AmqpConnection connection, Receiver receiver, SendTarget target) {
        this.connection = connection;
        this.receiver = receiver;
        this.target = target;
        receiver.flow(CREDIT);
    }

    @Override
    public void onDelivery(Delivery delivery) {
        if (delivery != receiver.current()) {
            return;
        }
        if (delivery.isPartial()) {
            if (discarded > 0 || delivery.pending() > MAX_MESSAGE_SIZE) {
                discard(delivery);
            }
            return;
        }
        DeliveryState outcome;
        if (discarded > 0 || delivery.pending() > MAX_MESSAGE_SIZE) {
            long size = discarded + discard(delivery);
            discarded = 0;
            receiver.advance();
            outcome = rejected("amqp:link:message-size-exceeded", "The received message (size: "
                    + size + " bytes) exceeds the limit (" + MAX_MESSAGE_SIZE + " bytes) currently allowed on the link.");
        } else {
            byte[] bytes = new byte[delivery.pending()];
            receiver.recv(bytes, 0, bytes.length);
            receiver.advance();
            outcome = store(delivery.getMessageFormat(), bytes, delivery.getRemoteState());
        }
        if (!delivery.remotelySettled()) {
            delivery.disposition(outcome);
        }
        delivery.settle();
        if (receiver.getCredit() < CREDIT / 2) {
            receiver.flow(CREDIT - receiver.getCredit());
        }
    }

    private long discard(Delivery delivery) {
        byte[] scratch = new byte[Math.max(1, Math.min(delivery.pending(), 64 * 1024))];
        long total = 0;
        int read;
        while ((read = receiver.recv(scratch, 0, scratch.length)) > 0) {
            total += read;
        }
        discarded += total;
        return total;
    }

    private DeliveryState store(int messageFormat, byte[] bytes, DeliveryState state) {
        List<Message> messages;
        try {
            messages = messageFormat == MessageCodec.BATCH_MESSAGE_FORMAT
                    ? connection.codec().unpackBatch(bytes)
                    : List.of(connection.codec().decode(bytes, 0, bytes.length));
        } catch (RuntimeException e) {
            return rejected("amqp:decode-error", "The message could not be decoded.");
        }
        try {
            if (state instanceof TransactionalState txn) {
                // Held back until the transaction commits; the SDK expects the outcome wrapped in the txn state.
                byte[] txnId = MessageCodec.bytes(txn.getTxnId());
                target.check(messages);
                connection.broker().transactions().enlist(txnId, () -> target.send(messages, connection.now()));
                TransactionalState reply = new TransactionalState();
                reply.setTxnId(txn.getTxnId());
                reply.setOutcome(Accepted.getInstance());
                return reply;
            }
            target.send(messages, connection.now());
            return Accepted.getInstance();
        } catch (BrokerException e) {
            return rejected(e.condition(), e.getMessage());
        }
    }

    static Rejected rejected(String condition, String description) {
        Rejected rejected = new Rejected();
        rejected.setError(new ErrorCondition(Symbol.valueOf(condition), description));
        return rejected;
    }

    @Override
    public void closed() {
    }
}
