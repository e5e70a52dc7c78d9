package org.acslifecycle.emulators.servicebus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The sessions of one session-enabled entity: which receive link holds which session lock until when, which
 * links wait for "any session", and the per-session state blobs (kept independent of locks).
 */
final class SessionManager {
    private final Duration lockDuration;
    /** The entity's available messages per session id, read to find a session worth handing out. */
    private final Map<String, TreeMap<Long, BrokerMessage>> available;
    /** Called when a session lock ends, so the entity can unlock the messages delivered under it. */
    private final BiConsumer<SessionInfo, Instant> releaseMessages;

    private final Map<String, SessionInfo> sessions = new HashMap<>();
    private final Map<Consumer, SessionInfo> byConsumer = new HashMap<>();
    private final List<SessionWaiter> waiters = new ArrayList<>();

    SessionManager(Duration lockDuration, Map<String, TreeMap<Long, BrokerMessage>> available,
            BiConsumer<SessionInfo, Instant> releaseMessages) {
        this.lockDuration = lockDuration;
        this.available = available;
        this.releaseMessages = releaseMessages;
    }

    /** The session this consumer holds a live lock on, or null. */
    SessionInfo heldBy(Consumer consumer, Instant now) {
        SessionInfo session = byConsumer.get(consumer);
        return session != null && session.holder == consumer && session.isLockedAt(now) ? session : null;
    }

    /** The session id a consumer was bound to (even if its lock is gone), or null for non-session consumers. */
    String boundSessionId(Consumer consumer) {
        SessionInfo session = byConsumer.get(consumer);
        return session == null ? null : session.id;
    }

    Instant lockedUntil(Consumer consumer) {
        SessionInfo session = byConsumer.get(consumer);
        return session == null ? null : session.lockedUntil;
    }

    /**
     * Locks the named session, or (sessionId null) the free session with the oldest available message.
     * Returns null when no session is free; throws if the named one is locked by another link.
     */
    String acquire(Consumer consumer, String sessionId, Instant now) {
        SessionInfo session;
        if (sessionId != null) {
            session = sessions.computeIfAbsent(sessionId, SessionInfo::new);
            expireIfDue(session, now);
            if (session.holder != null) {
                throw BrokerException.sessionCannotBeLocked(sessionId);
            }
        } else {
            session = oldestFree();
            if (session == null) {
                return null;
            }
        }
        lock(session, consumer, now);
        return session.id;
    }

    private void lock(SessionInfo session, Consumer consumer, Instant now) {
        session.holder = consumer;
        session.lockedUntil = now.plus(lockDuration);
        byConsumer.put(consumer, session);
    }

    void waitFor(SessionWaiter waiter) {
        waiters.add(waiter);
    }

    /**
     * The free session whose first available message is oldest. Expired-but-held sessions do not count: the
     * sweep releases them (doing it here would change {@link #available} while it is being iterated).
     */
    private SessionInfo oldestFree() {
        SessionInfo best = null;
        long bestSeq = Long.MAX_VALUE;
        for (Map.Entry<String, TreeMap<Long, BrokerMessage>> e : available.entrySet()) {
            if (e.getKey().isEmpty() || e.getValue().isEmpty()) {
                continue;
            }
            SessionInfo s = sessions.computeIfAbsent(e.getKey(), SessionInfo::new);
            long first = e.getValue().firstKey();
            if (s.holder == null && first < bestSeq) {
                best = s;
                bestSeq = first;
            }
        }
        return best;
    }

    /** Hands free sessions with messages to waiting links, oldest waiter first. */
    void serveWaiters(Instant now) {
        while (!waiters.isEmpty()) {
            SessionInfo session = oldestFree();
            if (session == null) {
                return;
            }
            SessionWaiter waiter = waiters.remove(0);
            lock(session, waiter.consumer(), now);
            waiter.acquired(session.id, session.lockedUntil);
        }
    }

    /** The link went away: stop waiting for it, and free its session. */
    void detach(Consumer consumer, Instant now) {
        waiters.removeIf(w -> w.consumer() == consumer);
        SessionInfo session = byConsumer.remove(consumer);
        if (session != null && session.holder == consumer) {
            release(session, now);
        }
    }

    private void release(SessionInfo session, Instant now) {
        session.holder = null;
        session.lockedUntil = null;
        releaseMessages.accept(session, now);
        serveWaiters(now);
    }

    private void expireIfDue(SessionInfo session, Instant now) {
        if (session.holder != null && !session.lockedUntil.isAfter(now)) {
            Consumer holder = session.holder;
            byConsumer.remove(holder);
            release(session, now);
            holder.sessionLockLost(session.id);
        }
    }

    Instant renew(String sessionId, Instant now) {
        SessionInfo session = sessions.get(sessionId);
        if (session != null) {
            expireIfDue(session, now);
        }
        if (session == null || session.holder == null) {
            throw BrokerException.sessionLockLost(sessionId);
        }
        session.lockedUntil = now.plus(lockDuration);
        return session.lockedUntil;
    }

    byte[] state(String sessionId) {
        SessionInfo session = sessions.get(sessionId);
        return session == null ? null : session.state;
    }

    void setState(String sessionId, byte[] state) {
        sessions.computeIfAbsent(sessionId, SessionInfo::new).state = state;
    }

    /** Ends expired locks, forgets empty sessions, serves and times out waiting links. */
    void sweep(Instant now) {
        for (SessionInfo session : new ArrayList<>(sessions.values())) {
            expireIfDue(session, now);
        }
        // Forget sessions that hold nothing (no lock, no state, no available message): one per user adds up.
        sessions.values().removeIf(s -> s.holder == null && s.state == null && !available.containsKey(s.id));
        serveWaiters(now);
        List<SessionWaiter> timedOut = new ArrayList<>();
        Iterator<SessionWaiter> it = waiters.iterator();
        while (it.hasNext()) {
            SessionWaiter waiter = it.next();
            if (!waiter.deadline().isAfter(now)) {
                it.remove();
                timedOut.add(waiter);
            }
        }
        timedOut.forEach(SessionWaiter::timedOut);
    }
}
