package org.acslifecycle.core.event;

/** The dead-letter reason codes for bad input (DESIGN §5). */
public enum RejectionReason {
    /** Not JSON, a missing or invalid attribute, oversized: no retry can fix it. */
    INVALID_EVENT("InvalidEvent"),
    /** An otherwise valid event whose type is neither canonical nor mapped in the configuration. */
    UNSUPPORTED_EVENT_TYPE("UnsupportedEventType");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    /** The {@code DeadLetterReason} written on the message. */
    public String code() {
        return code;
    }
}
