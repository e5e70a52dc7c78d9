package org.acslifecycle.emulators.servicebus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionFilter;

/**
 * A receivable entity: a queue, a subscription, or the dead-letter sub-queue of either. Holds its messages in
 * sequence order and does locking, settlement, sessions, deferral, expiry and the hand-over to consumers.
 * Everything runs on the broker's single event-loop thread, so nothing here is synchronized.
 */
public final class MessageEntity {
    private static final String NO_SESSION = "";

    private final String path;
    private final EntitySettings settings;
    private final MessageEntity deadLetterQueue;
    private final List<SubscriptionFilter> filters;

    private final TreeMap<Long, BrokerMessage> messages = new TreeMap<>();
    /** Messages that may be handed out now, per session id ("" for entities without sessions). */
    private final Map<String, TreeMap<Long, BrokerMessage>> available = new HashMap<>();
    private final Map<UUID, BrokerMessage> locked = new HashMap<>();
    private final TreeSet<BrokerMessage> expiries = new TreeSet<>(BrokerMessage.BY_EXPIRY);
    private final TreeSet<BrokerMessage> scheduled = new TreeSet<>(BrokerMessage.BY_SCHEDULE);
    private final Map<String, SessionInfo> sessions = new HashMap<>();
    private final List<Consumer> consumers = new ArrayList<>();
    private final Map<Consumer, SessionInfo> sessionOf = new HashMap<>();
    private final List<SessionWaiter> waiters = new ArrayList<>();
    private int rotation;

    MessageEntity(String path, EntitySettings settings, boolean withDeadLetterQueue, List<SubscriptionFilter> filters) {
        this.path = path;
        this.settings = settings;
        this.filters = List.copyOf(filters);
        this.deadLetterQueue = withDeadLetterQueue
                ? new MessageEntity(path + "/$deadletterqueue", settings, false, List.of(new SubscriptionFilter.TrueFilter()))
                : null;
    }

    /** Whether a message sent to the topic reaches this subscription (queues accept everything). */
    boolean accepts(org.apache.qpid.proton.message.Message message) {
        return FilterMatcher.anyMatches(filters, message);
    }

    public String path() {
        return path;
    }

    public EntitySettings settings() {
        return settings;
    }

    public boolean isDeadLetterQueue() {
        return deadLetterQueue == null;
    }

    /** Dead-letter queues hold messages of any session and are read without sessions. */
    public boolean requiresSession() {
        return settings.requiresSession() && !isDeadLetterQueue();
    }

    public MessageEntity deadLetterQueue() {
        return deadLetterQueue;
    }

    // ---- enqueue -------------------------------------------------------------------------------------------

    void enqueue(BrokerMessage m, Instant now) {
        messages.put(m.sequenceNumber(), m);
        if (m.state == MessageState.SCHEDULED) {
            scheduled.add(m);
            return;
        }
        activate(m, now);
    }

    private void activate(BrokerMessage m, Instant now) {
        m.state = MessageState.ACTIVE;
        if (m.timeToLive != null && !isDeadLetterQueue()) {
            m.expiresAt = m.enqueuedTime.plus(m.timeToLive);
            expiries.add(m);
        } else {
            m.expiresAt = null;
        }
        makeAvailable(m);
        if (requiresSession()) {
            // A receiver may be waiting for "any session": hand it this one now rather than at the next sweep.
            serveWaiters(now);
        }
    }

    private void makeAvailable(BrokerMessage m) {
        available.computeIfAbsent(keyOf(m), k -> new TreeMap<>()).put(m.sequenceNumber(), m);
    }

    private String keyOf(BrokerMessage m) {
        return requiresSession() && m.sessionId() != null ? m.sessionId() : NO_SESSION;
    }

    private void remove(BrokerMessage m) {
        messages.remove(m.sequenceNumber());
        TreeMap<Long, BrokerMessage> queue = available.get(keyOf(m));
        if (queue != null) {
            queue.remove(m.sequenceNumber());
            if (queue.isEmpty()) {
                available.remove(keyOf(m));
            }
        }
        if (m.expiresAt != null) {
            expiries.remove(m);
        }
        if (m.state == MessageState.SCHEDULED) {
            scheduled.remove(m);
        }
        if (m.lockToken != null) {
            locked.remove(m.lockToken);
        }
    }

    // ---- hand-over to consumers ----------------------------------------------------------------------------

    public void addConsumer(Consumer consumer, Instant now) {
        consumers.add(consumer);
        dispatch(now);
    }

    public void removeConsumer(Consumer consumer, Instant now) {
        consumers.remove(consumer);
        waiters.removeIf(w -> w.consumer() == consumer);
        SessionInfo session = sessionOf.remove(consumer);
        if (session != null && session.holder == consumer) {
            releaseSession(session, now);
        }
    }

    /** Gives available messages to consumers with credit, round robin, until nothing more moves. */
    public void dispatch(Instant now) {
        boolean moved = true;
        while (moved && !consumers.isEmpty()) {
            moved = false;
            int n = consumers.size();
            for (int i = 0; i < n && i < consumers.size(); i++) {
                Consumer consumer = consumers.get((rotation + i) % consumers.size());
                if (consumer.credit() <= 0) {
                    continue;
                }
                String key = NO_SESSION;
                SessionInfo session = sessionOf.get(consumer);
                if (requiresSession()) {
                    if (session == null || session.holder != consumer || !session.isLockedAt(now)) {
                        continue;
                    }
                    key = session.id;
                }
                BrokerMessage m = pollAvailable(key, now);
                if (m == null) {
                    continue;
                }
                handOver(m, consumer, session, now);
                moved = true;
            }
            rotation++;
        }
    }

    private BrokerMessage pollAvailable(String key, Instant now) {
        TreeMap<Long, BrokerMessage> queue = available.get(key);
        while (queue != null && !queue.isEmpty()) {
            BrokerMessage m = queue.pollFirstEntry().getValue();
            if (queue.isEmpty()) {
                available.remove(key);
            }
            if (m.expiresAt != null && !m.expiresAt.isAfter(now)) {
                expire(m, now);
                queue = available.get(key);
                continue;
            }
            return m;
        }
        return null;
    }

    private void handOver(BrokerMessage m, Consumer consumer, SessionInfo session, Instant now) {
        if (consumer.receiveAndDelete()) {
            remove(m);
            consumer.deliver(m, m.deliveryCount);
            return;
        }
        int previousDeliveries = m.deliveryCount;
        lock(m, consumer.owner(), now);
        if (session != null) {
            m.lockSession = session;
        }
        consumer.deliver(m, previousDeliveries);
    }

    private void lock(BrokerMessage m, Object owner, Instant now) {
        m.deliveryCount++;
        m.lockToken = UUID.randomUUID();
        m.lockOwner = owner;
        m.lockedUntil = now.plus(settings.lockDuration());
        locked.put(m.lockToken, m);
    }

    // ---- settlement ----------------------------------------------------------------------------------------

    /**
     * Applies a receiver's outcome. {@code via} is the session link the disposition arrived on, or null for
     * non-session links and $management.
     */
    public void settle(UUID lockToken, Outcome outcome, Consumer via, Instant now) {
        BrokerMessage m = requireLock(lockToken, via, now);
        applyOutcome(m, outcome, now);
        dispatch(now);
    }

    /** Throws the lock-lost error settling would throw, without settling (transactions check before enlisting). */
    public void checkLock(UUID lockToken, Consumer via, Instant now) {
        requireLock(lockToken, via, now);
    }

    private BrokerMessage requireLock(UUID lockToken, Consumer via, Instant now) {
        BrokerMessage m = locked.get(lockToken);
        if (m == null) {
            if (via != null && sessionOf.containsKey(via)) {
                throw BrokerException.sessionLockLost(sessionOf.get(via).id);
            }
            throw BrokerException.lockLost();
        }
        if (m.lockSession != null) {
            if (!m.lockSession.isLockedAt(now) || (via != null && m.lockSession.holder != via)) {
                throw BrokerException.sessionLockLost(m.lockSession.id);
            }
        } else if (!m.lockedUntil.isAfter(now)) {
            unlock(m, true, now);
            throw BrokerException.lockLost();
        }
        return m;
    }

    private void applyOutcome(BrokerMessage m, Outcome outcome, Instant now) {
        if (outcome instanceof Outcome.Complete) {
            remove(m);
        } else if (outcome instanceof Outcome.Abandon abandon) {
            m.mergeProperties(abandon.propertiesToModify());
            unlock(m, true, now);
        } else if (outcome instanceof Outcome.Defer defer) {
            m.mergeProperties(defer.propertiesToModify());
            clearLock(m);
            m.receivedBySequenceNumber = false;
            m.state = MessageState.DEFERRED;
        } else if (outcome instanceof Outcome.DeadLetter dl) {
            m.mergeProperties(dl.propertiesToModify());
            deadLetter(m, dl.reason(), dl.description(), now);
        } else if (outcome instanceof Outcome.Release) {
            m.deliveryCount = Math.max(0, m.deliveryCount - 1);
            unlock(m, false, now);
        }
    }

    private void clearLock(BrokerMessage m) {
        locked.remove(m.lockToken);
        m.lockToken = null;
        m.lockOwner = null;
        m.lockedUntil = null;
        m.lockSession = null;
    }

    /** Ends a lock without settling: the message is available again unless it used up its deliveries or expired. */
    private void unlock(BrokerMessage m, boolean countsAsAttempt, Instant now) {
        clearLock(m);
        if (m.receivedBySequenceNumber) {
            // A deferred message stays deferred until it is completed or dead-lettered.
            m.receivedBySequenceNumber = false;
            m.state = MessageState.DEFERRED;
            return;
        }
        if (countsAsAttempt && !isDeadLetterQueue() && m.deliveryCount >= settings.maxDeliveryCount()) {
            deadLetter(m, "MaxDeliveryCountExceeded",
                    "Message could not be consumed after " + settings.maxDeliveryCount() + " delivery attempts.", now);
            return;
        }
        if (m.expiresAt != null && !m.expiresAt.isAfter(now)) {
            expire(m, now);
            return;
        }
        if (m.expiresAt != null) {
            expiries.add(m);
        }
        makeAvailable(m);
        if (requiresSession()) {
            serveWaiters(now);
        }
    }

    private void deadLetter(BrokerMessage m, String reason, String description, Instant now) {
        remove(m);
        clearLock(m);
        if (isDeadLetterQueue()) {
            // A dead-letter queue cannot dead-letter further: the message just stays where it is.
            m.receivedBySequenceNumber = false;
            enqueue(m, now);
            return;
        }
        BrokerMessage copy = m.copy();
        copy.state = MessageState.ACTIVE;
        copy.expiresAt = null;
        copy.timeToLive = null;
        if (reason != null) {
            copy.propertyChanges().put("DeadLetterReason", reason);
        }
        if (description != null) {
            copy.propertyChanges().put("DeadLetterErrorDescription", description);
        }
        deadLetterQueue.enqueue(copy, now);
        deadLetterQueue.dispatch(now);
    }

    private void expire(BrokerMessage m, Instant now) {
        if (settings.deadLetteringOnMessageExpiration()) {
            deadLetter(m, "TTLExpiredException", "The message expired and was dead lettered.", now);
        } else {
            remove(m);
            clearLock(m);
        }
    }

    public Instant renewLock(UUID lockToken, Instant now) {
        BrokerMessage m = locked.get(lockToken);
        if (m == null || m.lockSession != null) {
            throw BrokerException.lockLost();
        }
        if (!m.lockedUntil.isAfter(now)) {
            unlock(m, true, now);
            dispatch(now);
            throw BrokerException.lockLost();
        }
        m.lockedUntil = now.plus(settings.lockDuration());
        return m.lockedUntil;
    }

    /** The connection went away: its message locks end now instead of at expiry, so the messages come back. */
    void releaseLocksOwnedBy(Object owner, Instant now) {
        List<BrokerMessage> owned = new ArrayList<>();
        for (BrokerMessage m : locked.values()) {
            if (m.lockOwner == owner && m.lockSession == null) {
                owned.add(m);
            }
        }
        owned.forEach(m -> unlock(m, true, now));
        if (!owned.isEmpty()) {
            dispatch(now);
        }
    }

    // ---- deferral, peek, scheduling ------------------------------------------------------------------------

    public List<BrokerMessage> receiveDeferred(long[] sequenceNumbers, boolean peekLock, Object owner, Instant now) {
        List<BrokerMessage> found = new ArrayList<>();
        for (long seq : sequenceNumbers) {
            BrokerMessage m = messages.get(seq);
            if (m == null || m.state != MessageState.DEFERRED || m.isLocked()) {
                throw BrokerException.messageNotFound(seq);
            }
            found.add(m);
        }
        for (BrokerMessage m : found) {
            if (peekLock) {
                lock(m, owner, now);
                m.receivedBySequenceNumber = true;
            } else {
                remove(m);
            }
        }
        return found;
    }

    public List<BrokerMessage> peek(long fromSequenceNumber, int count, String sessionId) {
        List<BrokerMessage> result = new ArrayList<>();
        for (BrokerMessage m : messages.tailMap(fromSequenceNumber, true).values()) {
            if (result.size() >= count) {
                break;
            }
            if (sessionId == null || sessionId.equals(m.sessionId())) {
                result.add(m);
            }
        }
        return result;
    }

    void cancelScheduled(long sequenceNumber) {
        BrokerMessage m = messages.get(sequenceNumber);
        if (m == null || m.state != MessageState.SCHEDULED) {
            throw BrokerException.messageNotFound(sequenceNumber);
        }
        remove(m);
    }

    // ---- sessions ------------------------------------------------------------------------------------------

    /**
     * Locks a session for a consumer: the named one, or (sessionId null) the free session with the oldest
     * available message. Returns null when no session is free; throws if the named one is locked elsewhere.
     */
    public String acquireSession(Consumer consumer, String sessionId, Instant now) {
        SessionInfo session;
        if (sessionId != null) {
            session = sessions.computeIfAbsent(sessionId, SessionInfo::new);
            expireSessionIfDue(session, now);
            if (session.holder != null) {
                throw BrokerException.sessionCannotBeLocked(sessionId);
            }
        } else {
            session = oldestFreeSession(now);
            if (session == null) {
                return null;
            }
        }
        session.holder = consumer;
        session.lockedUntil = now.plus(settings.lockDuration());
        sessionOf.put(consumer, session);
        return session.id;
    }

    public void waitForSession(SessionWaiter waiter) {
        waiters.add(waiter);
    }

    public Instant sessionLockedUntil(Consumer consumer) {
        SessionInfo session = sessionOf.get(consumer);
        return session == null ? null : session.lockedUntil;
    }

    private SessionInfo oldestFreeSession(Instant now) {
        // Expire first, choose after: an expiry hands its session to a waiter at once (re-entrantly), so a
        // choice made before the last expiry could name a session that has just been handed out.
        List<SessionInfo> due = new ArrayList<>();
        for (String id : available.keySet()) {
            if (!id.equals(NO_SESSION)) {
                due.add(sessions.computeIfAbsent(id, SessionInfo::new));
            }
        }
        due.forEach(s -> expireSessionIfDue(s, now));
        SessionInfo best = null;
        long bestSeq = Long.MAX_VALUE;
        for (Map.Entry<String, TreeMap<Long, BrokerMessage>> e : available.entrySet()) {
            if (e.getKey().equals(NO_SESSION) || e.getValue().isEmpty()) {
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

    private void serveWaiters(Instant now) {
        while (!waiters.isEmpty()) {
            SessionInfo session = oldestFreeSession(now);
            if (session == null) {
                return;
            }
            SessionWaiter waiter = waiters.remove(0);
            session.holder = waiter.consumer();
            session.lockedUntil = now.plus(settings.lockDuration());
            sessionOf.put(waiter.consumer(), session);
            waiter.acquired(session.id, session.lockedUntil);
        }
    }

    private void releaseSession(SessionInfo session, Instant now) {
        session.holder = null;
        session.lockedUntil = null;
        List<BrokerMessage> held = new ArrayList<>();
        for (BrokerMessage m : locked.values()) {
            if (m.lockSession == session) {
                held.add(m);
            }
        }
        held.forEach(m -> unlock(m, true, now));
        serveWaiters(now);
        dispatch(now);
    }

    private void expireSessionIfDue(SessionInfo session, Instant now) {
        if (session.holder != null && !session.lockedUntil.isAfter(now)) {
            Consumer holder = session.holder;
            sessionOf.remove(holder);
            consumers.remove(holder);
            releaseSession(session, now);
            holder.sessionLockLost(session.id);
        }
    }

    public Instant renewSessionLock(String sessionId, Instant now) {
        SessionInfo session = sessions.get(sessionId);
        if (session == null || session.holder == null) {
            throw BrokerException.sessionLockLost(sessionId);
        }
        expireSessionIfDue(session, now);
        if (session.holder == null) {
            throw BrokerException.sessionLockLost(sessionId);
        }
        session.lockedUntil = now.plus(settings.lockDuration());
        return session.lockedUntil;
    }

    public byte[] sessionState(String sessionId) {
        SessionInfo session = sessions.get(sessionId);
        return session == null ? null : session.state;
    }

    public void setSessionState(String sessionId, byte[] state) {
        sessions.computeIfAbsent(sessionId, SessionInfo::new).state = state;
    }

    // ---- time ----------------------------------------------------------------------------------------------

    /** Runs everything that is due: lock and session expiry, scheduled activation, TTL, session waits. */
    void sweep(Instant now) {
        List<BrokerMessage> lapsed = new ArrayList<>();
        for (BrokerMessage m : locked.values()) {
            if (m.lockSession == null && !m.lockedUntil.isAfter(now)) {
                lapsed.add(m);
            }
        }
        lapsed.forEach(m -> unlock(m, true, now));
        for (SessionInfo session : new ArrayList<>(sessions.values())) {
            expireSessionIfDue(session, now);
        }
        // Forget sessions that hold nothing (no lock, no state, no available message): one per user adds up.
        sessions.values().removeIf(s -> s.holder == null && s.state == null && !available.containsKey(s.id));
        while (!scheduled.isEmpty() && !scheduled.first().scheduledEnqueueTime.isAfter(now)) {
            BrokerMessage m = scheduled.pollFirst();
            m.enqueuedTime = m.scheduledEnqueueTime;
            activate(m, now);
        }
        while (!expiries.isEmpty() && !expiries.first().expiresAt.isAfter(now)) {
            BrokerMessage m = expiries.first();
            if (m.state == MessageState.ACTIVE && !m.isLocked()) {
                expire(m, now);
            } else {
                // Locked messages are checked when their lock ends; deferred ones do not expire here.
                expiries.pollFirst();
                m.expiresAt = m.state == MessageState.ACTIVE ? m.expiresAt : null;
            }
        }
        if (requiresSession()) {
            serveWaiters(now);
            Iterator<SessionWaiter> it = waiters.iterator();
            List<SessionWaiter> timedOut = new ArrayList<>();
            while (it.hasNext()) {
                SessionWaiter w = it.next();
                if (!w.deadline().isAfter(now)) {
                    it.remove();
                    timedOut.add(w);
                }
            }
            timedOut.forEach(SessionWaiter::timedOut);
        }
        dispatch(now);
        if (deadLetterQueue != null) {
            deadLetterQueue.sweep(now);
        }
    }

    // ---- inspection ----------------------------------------------------------------------------------------

    /** Messages in sequence order, for tests and tools (a copy). */
    public List<BrokerMessage> snapshot() {
        return new ArrayList<>(messages.values());
    }

    public int lockedCount() {
        return locked.size();
    }

    static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }
}
