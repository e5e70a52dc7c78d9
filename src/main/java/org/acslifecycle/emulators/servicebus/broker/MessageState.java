package org.acslifecycle.emulators.servicebus.broker;

/** The values of the {@code x-opt-message-state} annotation. */
public enum MessageState {
    ACTIVE(0), DEFERRED(1), SCHEDULED(2);

    private final int wireValue;

    MessageState(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }
}
