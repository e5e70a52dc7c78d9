package org.acslifecycle.emulators.servicebus.broker;

import java.util.Map;

/** What a receiver decided about a locked message; the same set whether it arrives as a disposition or over $management. */
public sealed interface Outcome {

    record Complete() implements Outcome {
    }

    /** Unlock; the delivery attempt counts towards MaxDeliveryCount. */
    record Abandon(Map<String, Object> propertiesToModify) implements Outcome {
    }

    /** Set aside: only receivable by sequence number afterwards. */
    record Defer(Map<String, Object> propertiesToModify) implements Outcome {
    }

    record DeadLetter(String reason, String description, Map<String, Object> propertiesToModify) implements Outcome {
    }

    /** Given back unseen (the SDK releases messages that arrived after a receive call ended): not counted. */
    record Release() implements Outcome {
    }
}
