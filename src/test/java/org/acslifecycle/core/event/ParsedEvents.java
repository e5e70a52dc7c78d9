package org.acslifecycle.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.acslifecycle.core.LifecycleEvent;

/** Unwraps a {@link ParsedEvent} in a test, failing with the rejection or the event when it is the other kind. */
final class ParsedEvents {

    static final EventContract CANONICAL = new EventContract(TypeMapping.canonicalOnly());

    private ParsedEvents() {
    }

    static LifecycleEvent accepted(ParsedEvent parsed) {
        assertThat(parsed).isInstanceOf(ParsedEvent.Accepted.class);
        return ((ParsedEvent.Accepted) parsed).event();
    }

    static Rejection rejected(ParsedEvent parsed) {
        assertThat(parsed).isInstanceOf(ParsedEvent.Rejected.class);
        return ((ParsedEvent.Rejected) parsed).rejection();
    }

    static LifecycleEvent accept(InboundMessage message) {
        return accepted(CANONICAL.parse(message));
    }

    static Rejection reject(InboundMessage message) {
        return rejected(CANONICAL.parse(message));
    }
}
