package org.acslifecycle.emulators.servicebus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionRule;

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
    /** Subscription rules by name, in creation order; queues and dead-letter queues have only $Default. */
    private final Map<String, SubscriptionRule> rules = new LinkedHashMap<>();
    private SendTarget forwardTo;
    private SendTarget forwardDeadLettersTo;

    private final TreeMap<Long, BrokerMessage> messages = new TreeMap<>();
    /** Messages that may be handed out now, per session id ("" for entities without sessions). */
    private final Map<String, TreeMap<Long, BrokerMessage>> available = new HashMap<>();
    private final Map<UUID, BrokerMessage> locked = new HashMap<>();
    private final TreeSet<BrokerMessage> expiries = new TreeSet<>(BrokerMessage.BY_EXPIRY);
    private final TreeSet<BrokerMessage> scheduled = new TreeSet<>(BrokerMessage.BY_SCHEDULE);
    private final List<Consumer> consumers = new ArrayList<>();
    private final SessionManager sessions;
    private int rotation;

    MessageEntity(String path, EntitySettings settings, boolean withDeadLetterQueue, List<SubscriptionRule> rules) {
        this.path = path;
        this.settings = settings;
        rules.forEach(rule -> this.rules.put(rule.name().toLowerCase(java.util.Locale.ROOT), rule));
        this.sessions = new SessionManager(settings.lockDuration(), available, this::unlockSessionMessages);
        this.deadLetterQueue = withDeadLetterQueue
                ? new MessageEntity(path + "/$deadletterqueue", settings, false, List.of(SubscriptionRule.DEFAULT))
                : null;
    }

    /** Wires ForwardTo / ForwardDeadLetteredMessagesTo once every entity exists (either may be null). */
    void forwarding(SendTarget forwardTo, SendTarget forwardDeadLettersTo) {
        this.forwardTo = forwardTo;
        this.forwardDeadLettersTo = forwardDeadLettersTo;
    }

    /** Whether a message sent to the topic reaches this subscription (queues accept everything). */
    boolean accepts(org.apache.qpid.proton.message.Message message) {
        for (SubscriptionRule rule : rules.values()) {
            if (FilterMatcher.matches(rule.filter(), message)) {
                return true;
            }
        }
        return false;
    }

    /** The subscription's rules (add-rule / remove-rule / enumerate-rules over $management). */
    public List<SubscriptionRule> rules() {
        return List.copyOf(rules.values());
    }

    public void addRule(SubscriptionRule rule) {
        String key = rule.name().toLowerCase(java.util.Locale.ROOT);
        if (rules.containsKey(key)) {
            throw new BrokerException("com.microsoft:entity-already-exists", 409,
                    "The rule '" + rule.name() + "' already exists on '" + path + "'.");
        }
        rules.put(key, rule);
    }

    public void removeRule(String name, String host) {
        if (rules.remove(name.toLowerCase(java.util.Locale.ROOT)) == null) {
            throw BrokerException.entityNotFound(host, path + "/rules/" + name);
        }
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
        if (forwardTo != null) {
            // Auto-forwarding: the message passes through to the target entity instead of waiting here.
            messages.remove(m.sequenceNumber());
            try {
                forwardTo.forward(m.contentWithChanges(), m.hops + 1, now);
                return;
            } catch (BrokerException e) {
                m.state = MessageState.ACTIVE;
                deadLetter(m, e.condition(), e.getMessage(), now);
                return;
            }
        }
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
            sessions.serveWaiters(now);
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
        sessions.detach(consumer, now);
        dispatch(now);
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
                SessionInfo session = null;
                if (requiresSession()) {
                    session = sessions.heldBy(consumer, now);
                    if (session == null) {
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
            String sessionId = via == null ? null : sessions.boundSessionId(via);
            if (sessionId != null) {
                throw BrokerException.sessionLockLost(sessionId);
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
            sessions.serveWaiters(now);
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
        if (forwardDeadLettersTo != null) {
            try {
                forwardDeadLettersTo.forward(copy.contentWithChanges(), m.hops + 1, now);
                return;
            } catch (BrokerException e) {
                // Could not forward (hop limit, session rules): keep it in this entity's own dead-letter queue.
            }
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

    /** Deferred messages by sequence number; a session receiver (sessionId not null) only sees its session's. */
    public List<BrokerMessage> receiveDeferred(long[] sequenceNumbers, boolean peekLock, String sessionId, Object owner,
            Instant now) {
        List<BrokerMessage> found = new ArrayList<>();
        for (long seq : sequenceNumbers) {
            BrokerMessage m = messages.get(seq);
            if (m == null || m.state != MessageState.DEFERRED || m.isLocked()
                    || (sessionId != null && !sessionId.equals(m.sessionId()))) {
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

    /** See {@link SessionManager#acquire}; the caller adds the consumer once its link is open. */
    public String acquireSession(Consumer consumer, String sessionId, Instant now) {
        return sessions.acquire(consumer, sessionId, now);
    }

    public void waitForSession(SessionWaiter waiter) {
        sessions.waitFor(waiter);
    }

    public Instant sessionLockedUntil(Consumer consumer) {
        return sessions.lockedUntil(consumer);
    }

    public Instant renewSessionLock(String sessionId, Instant now) {
        return sessions.renew(sessionId, now);
    }

    public byte[] sessionState(String sessionId) {
        return sessions.state(sessionId);
    }

    public void setSessionState(String sessionId, byte[] state) {
        sessions.setState(sessionId, state);
    }

    /** A session lock ended: the messages delivered under it are unlocked (the delivery attempt counts). */
    private void unlockSessionMessages(SessionInfo session, Instant now) {
        List<BrokerMessage> held = new ArrayList<>();
        for (BrokerMessage m : locked.values()) {
            if (m.lockSession == session) {
                held.add(m);
            }
        }
        held.forEach(m -> unlock(m, true, now));
        dispatch(now);
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
            sessions.sweep(now);
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
