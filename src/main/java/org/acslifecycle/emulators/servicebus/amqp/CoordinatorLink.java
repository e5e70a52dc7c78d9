package org.acslifecycle.emulators.servicebus.amqp;

import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.acslifecycle.emulators.servicebus.broker.Transactions;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.transaction.Declare;
import org.apache.qpid.proton.amqp.transaction.Declared;
import org.apache.qpid.proton.amqp.transaction.Discharge;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/** The transaction coordinator link: declare answers {@code declared(txn-id)}, discharge commits or rolls back. */
final class CoordinatorLink implements LinkEndpoint {
    private static final int CREDIT = 100;

    private final AmqpConnection connection;
    private final Receiver receiver;
    private final Transactions transactions;

    CoordinatorLink(AmqpConnection connection, Receiver receiver, Transactions transactions) {
        this.connection = connection;
        this.receiver = receiver;
        this.transactions = transactions;
        receiver.flow(CREDIT);
    }

    @Override
    public void onDelivery(Delivery delivery) {
        byte[] bytes = RequestLink.readComplete(receiver, delivery);
        if (bytes == null) {
            return;
        }
        DeliveryState outcome;
        try {
            Message message = connection.codec().decode(bytes, 0, bytes.length);
            Object body = message.getBody() instanceof AmqpValue value ? value.getValue() : null;
            if (body instanceof Declare) {
                Declared declared = new Declared();
                declared.setTxnId(new Binary(transactions.declare()));
                outcome = declared;
            } else if (body instanceof Discharge discharge) {
                transactions.discharge(MessageCodec.bytes(discharge.getTxnId()), !Boolean.TRUE.equals(discharge.getFail()));
                outcome = Accepted.getInstance();
            } else {
                outcome = EntitySendLink.rejected("amqp:not-implemented", "Only declare and discharge are supported.");
            }
        } catch (BrokerException e) {
            outcome = EntitySendLink.rejected(e.condition(), e.getMessage());
        } catch (RuntimeException e) {
            outcome = EntitySendLink.rejected("amqp:decode-error", "The coordinator message could not be decoded.");
        }
        delivery.disposition(outcome);
        delivery.settle();
        if (receiver.getCredit() < CREDIT / 2) {
            receiver.flow(CREDIT - receiver.getCredit());
        }
        connection.markDirty();
    }

    @Override
    public void closed() {
    }
}
