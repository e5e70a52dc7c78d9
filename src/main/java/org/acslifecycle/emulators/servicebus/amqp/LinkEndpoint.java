package org.acslifecycle.emulators.servicebus.amqp;

import org.apache.qpid.proton.engine.Delivery;

/** What a link does with engine events; stored as the proton link's context. */
interface LinkEndpoint {

    default void onFlow() {
    }

    default void onDelivery(Delivery delivery) {
    }

    /** The peer detached or the connection ended. */
    void closed();
}
