package org.acslifecycle.emulators.servicebus.broker;

/**
 * The seam between the broker and a receiving link: the broker asks for credit and hands over messages; the
 * link encodes and transfers them. Typed, so the broker never casts a protocol object.
 */
public interface Consumer {

    /** How many more messages the link may take now. */
    int credit();

    /** RECEIVE_AND_DELETE: the message is gone once handed over. */
    boolean receiveAndDelete();

    /** The connection, so locks can be released when it goes away. */
    Object owner();

    /**
     * Hands over one message. For peek-lock it is already locked; {@code headerDeliveryCount} is the number of
     * earlier lock acquisitions, which the SDKs expose as the delivery count.
     */
    void deliver(BrokerMessage message, int headerDeliveryCount);

    /** The broker ended the session lock (expired): the link must be detached with session-lock-lost. */
    void sessionLockLost(String sessionId);
}
