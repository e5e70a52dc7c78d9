package org.acslifecycle.emulators.servicebus.broker;

import java.time.Instant;

/**
 * A receive link asking for "the next available session" while none is free. The SDK expects the broker to hold
 * the attach until a session frees up or the link's {@code com.microsoft:timeout} passes; answering at once makes
 * the session processor spin.
 */
public interface SessionWaiter {

    Consumer consumer();

    Instant deadline();

    void acquired(String sessionId, Instant lockedUntil);

    void timedOut();
}
