package org.acslifecycle.emulators.servicebus.broker;

import java.time.Instant;

/** A session of a session-enabled entity: its state blob (kept across locks) and who holds its lock until when. */
final class SessionInfo {
    final String id;
    byte[] state;
    Consumer holder;
    Instant lockedUntil;

    SessionInfo(String id) {
        this.id = id;
    }

    boolean isLockedAt(Instant now) {
        return holder != null && lockedUntil.isAfter(now);
    }
}
