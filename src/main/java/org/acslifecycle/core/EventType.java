package org.acslifecycle.core;

import java.util.Arrays;
import java.util.Optional;

/** The four canonical lifecycle event types of DESIGN §2. */
public enum EventType {
    ONBOARDED("user.onboarded"),
    OFFBOARDED("user.offboarded"),
    SUSPENDED("user.suspended"),
    REINSTATED("user.reinstated");

    private final String cloudEventType;

    EventType(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public static Optional<EventType> fromCloudEventType(String type) {
        return Arrays.stream(values()).filter(t -> t.cloudEventType.equals(type)).findFirst();
    }
}
