package org.acslifecycle.emulators.servicebus.amqp;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.acslifecycle.emulators.servicebus.broker.BrokerMessage;
import org.acslifecycle.emulators.servicebus.broker.Consumer;
import org.acslifecycle.emulators.servicebus.broker.MessageEntity;
import org.acslifecycle.emulators.servicebus.broker.Outcome;
import org.acslifecycle.emulators.servicebus.broker.SessionWaiter;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's receiver link on a queue, subscription or dead-letter queue, optionally bound to one session.
 * Transfers messages while the client gives credit and turns the client's dispositions into broker outcomes,
 * answering each with a settled disposition of the same outcome type (the Java SDK waits for exactly that).
 */
final class EntityReceiveLink implements LinkEndpoint, Consumer, SessionWaiter {
    /**
     * DEBUG: one line per attach, session lock, flow, transfer, disposition and detach, with the link name the
     * SDK logs too ({@code linkName}), so both sides of a session switch can be laid side by side.
     */
    private static final Logger LOG = LoggerFactory.getLogger(EntityReceiveLink.class);
    static final Symbol SESSION_FILTER = Symbol.valueOf("com.microsoft:session-filter");
    static final Symbol LOCKED_UNTIL_UTC = Symbol.valueOf("com.microsoft:locked-until-utc");
    private static final Symbol TIMEOUT = Symbol.valueOf("com.microsoft:timeout");
    private static final long DEFAULT_SESSION_WAIT_MS = 60_000;

    private final AmqpConnection connection;
    private final Sender sender;
    private final MessageEntity entity;
    private final boolean receiveAndDelete;
    private Instant sessionWaitDeadline;
    private boolean ended;

    EntityReceiveLink(AmqpConnection connection, Sender sender, MessageEntity entity) {
        this.connection = connection;
        this.sender = sender;
        this.entity = entity;
        this.receiveAndDelete = sender.getRemoteSenderSettleMode() == SenderSettleMode.SETTLED;
    }

    /** Opens the link, or for sessions: locks the requested / next available session first. */
    void attach(Instant now) {
        Source source = (Source) sender.getRemoteSource();
        Map<?, ?> filter = source.getFilter();
        boolean sessionful = filter != null && filter.containsKey(SESSION_FILTER);
        if (sessionful != entity.requiresSession()) {
            connection.refuse(sender, "amqp:not-allowed", sessionful
                    ? "The entity '" + entity.path() + "' does not require sessions; a session receiver cannot be created."
                    : "It is not possible for an entity that requires sessions to create a non-sessionful message receiver.");
            ended = true;
            return;
        }
        if (!sessionful) {
            LOG.debug("attach link={} entity={} (no session)", sender.getName(), entity.path());
            open(null, null);
            entity.addConsumer(this, now);
            return;
        }
        Object requested = filter.get(SESSION_FILTER);
        LOG.debug("attach link={} entity={} session-filter={}", sender.getName(), entity.path(),
                requested == null ? "<next available>" : requested);
        String sessionId;
        try {
            sessionId = entity.acquireSession(this, requested == null ? null : requested.toString(), now);
        } catch (BrokerException e) {
            connection.refuse(sender, e.condition(), e.getMessage());
            ended = true;
            return;
        }
        if (sessionId != null) {
            acquired(sessionId, entity.sessionLockedUntil(this));
            return;
        }
        Object timeout = sender.getRemoteProperties() == null ? null : sender.getRemoteProperties().get(TIMEOUT);
        long waitMs = timeout instanceof Number n && n.longValue() > 0 ? n.longValue() : DEFAULT_SESSION_WAIT_MS;
        sessionWaitDeadline = now.plusMillis(waitMs);
        LOG.debug("attach link={}: no free session, attach held up to {} ms", sender.getName(), waitMs);
        entity.waitForSession(this);
    }

    private void open(String sessionId, Instant lockedUntil) {
        Source remote = (Source) sender.getRemoteSource();
        Source local = new Source();
        local.setAddress(remote.getAddress());
        local.setDurable(remote.getDurable());
        local.setExpiryPolicy(remote.getExpiryPolicy());
        local.setTimeout(remote.getTimeout());
        local.setDefaultOutcome(remote.getDefaultOutcome());
        local.setOutcomes(remote.getOutcomes());
        if (sessionId != null) {
            // The Java SDK reads the session id from the echoed filter (plain string) and the lock expiry from
            // the link properties (long .NET ticks).
            Map<Symbol, Object> filter = new HashMap<>();
            filter.put(SESSION_FILTER, sessionId);
            local.setFilter(filter);
            Map<Symbol, Object> properties = new HashMap<>();
            properties.put(LOCKED_UNTIL_UTC, LockTokens.dotNetTicks(lockedUntil.toEpochMilli()));
            sender.setProperties(properties);
        } else {
            local.setFilter(remote.getFilter());
        }
        sender.setSource(local);
        sender.setTarget(sender.getRemoteTarget());
        sender.setSenderSettleMode(sender.getRemoteSenderSettleMode());
        sender.setReceiverSettleMode(sender.getRemoteReceiverSettleMode());
        sender.open();
        connection.markDirty();
    }

    // ---- SessionWaiter -------------------------------------------------------------------------------------

    @Override
    public Consumer consumer() {
        return this;
    }

    @Override
    public Instant deadline() {
        return sessionWaitDeadline;
    }

    @Override
    public void acquired(String sessionId, Instant lockedUntil) {
        LOG.debug("attach link={}: session {} locked until {}, attach answered", sender.getName(), sessionId, lockedUntil);
        open(sessionId, lockedUntil);
        entity.addConsumer(this, connection.now());
    }

    @Override
    public void timedOut() {
        LOG.debug("attach link={}: no session within the wait, detach com.microsoft:timeout", sender.getName());
        // Exactly com.microsoft:timeout: the SDK's session acquirer retries only on that.
        connection.refuse(sender, "com.microsoft:timeout",
                "The operation did not complete within the allotted timeout: no session was available.");
        ended = true;
    }

    // ---- Consumer ------------------------------------------------------------------------------------------

    @Override
    public int credit() {
        return ended ? 0 : sender.getCredit();
    }

    @Override
    public boolean receiveAndDelete() {
        return receiveAndDelete;
    }

    @Override
    public Object owner() {
        return connection;
    }

    @Override
    public void deliver(BrokerMessage message, int headerDeliveryCount) {
        UUID token = receiveAndDelete ? UUID.randomUUID() : message.lockToken();
        byte[] bytes = connection.codec().encode(message, headerDeliveryCount, receiveAndDelete ? null : message.lockedUntil());
        LOG.debug("transfer link={} session={} seq={} credit-before={}", sender.getName(), message.sessionId(),
                message.sequenceNumber(), sender.getCredit());
        Delivery delivery = sender.delivery(LockTokens.toDeliveryTag(token));
        delivery.setContext(receiveAndDelete ? null : new Pending(token));
        sender.send(bytes, 0, bytes.length);
        if (receiveAndDelete) {
            delivery.settle();
        }
        sender.advance();
        connection.markDirty();
    }

    @Override
    public void sessionLockLost(String sessionId) {
        if (!ended) {
            ended = true;
            LOG.debug("detach link={}: session {} lock lost", sender.getName(), sessionId);
            sender.setCondition(new ErrorCondition(Symbol.valueOf("com.microsoft:session-lock-lost"),
                    "The session lock has expired on the MessageSession. Session: " + sessionId));
            sender.close();
            connection.markDirty();
        }
    }

    // ---- engine events -------------------------------------------------------------------------------------

    @Override
    public void onFlow() {
        if (ended) {
            return;
        }
        LOG.debug("flow link={} credit={} drain={}", sender.getName(), sender.getCredit(), sender.getDrain());
        entity.dispatch(connection.now());
        if (sender.getDrain()) {
            // Answered at once: whatever could be sent was sent by dispatch above.
            sender.drained();
        }
    }

    @Override
    public void onDelivery(Delivery delivery) {
        if (!(delivery.getContext() instanceof Pending pending) || pending.answered) {
            if (delivery.remotelySettled()) {
                delivery.settle();
            }
            return;
        }
        DeliveryState remote = delivery.getRemoteState();
        if (remote == null) {
            return;
        }
        pending.answered = true;
        LOG.debug("disposition link={} state={}", sender.getName(), remote.getClass().getSimpleName());
        DeliveryState reply;
        Outcome outcome = outcomeOf(remote instanceof TransactionalState txn ? (DeliveryState) txn.getOutcome() : remote);
        if (outcome == null) {
            reply = EntitySendLink.rejected("amqp:not-implemented", "This disposition state is not supported.");
        } else if (remote instanceof TransactionalState txn) {
            reply = settleInTransaction(txn, pending.token, outcome);
        } else {
            try {
                entity.settle(pending.token, outcome, entity.requiresSession() ? this : null, connection.now());
                reply = sameOutcomeType(remote);
            } catch (BrokerException e) {
                reply = EntitySendLink.rejected(e.condition(), e.getMessage());
            }
        }
        if (!delivery.remotelySettled()) {
            delivery.disposition(reply);
        }
        delivery.settle();
        connection.markDirty();
    }

    /** Checks the lock now, applies the outcome at commit; answers with the outcome wrapped in the txn state. */
    private DeliveryState settleInTransaction(TransactionalState txn, UUID token, Outcome outcome) {
        Consumer via = entity.requiresSession() ? this : null;
        try {
            entity.checkLock(token, via, connection.now());
            byte[] txnId = MessageCodec.bytes(txn.getTxnId());
            connection.broker().transactions().enlist(txnId, () -> entity.settle(token, outcome, via, connection.now()));
        } catch (BrokerException e) {
            return EntitySendLink.rejected(e.condition(), e.getMessage());
        }
        TransactionalState reply = new TransactionalState();
        reply.setTxnId(txn.getTxnId());
        reply.setOutcome((org.apache.qpid.proton.amqp.messaging.Outcome) sameOutcomeType((DeliveryState) txn.getOutcome()));
        return reply;
    }

    private static Outcome outcomeOf(DeliveryState state) {
        if (state instanceof Accepted) {
            return new Outcome.Complete();
        }
        if (state instanceof Modified modified) {
            Map<String, Object> props = ManagementNode.stringKeys(modified.getMessageAnnotations());
            return Boolean.TRUE.equals(modified.getUndeliverableHere()) ? new Outcome.Defer(props) : new Outcome.Abandon(props);
        }
        if (state instanceof Rejected rejected) {
            Map<String, Object> info = rejected.getError() == null ? new HashMap<>()
                    : ManagementNode.stringKeys(rejected.getError().getInfo());
            Object reason = info.remove("DeadLetterReason");
            Object description = info.remove("DeadLetterErrorDescription");
            return new Outcome.DeadLetter(reason == null ? null : reason.toString(),
                    description == null ? null : description.toString(), info);
        }
        if (state instanceof Released) {
            return new Outcome.Release();
        }
        return null;
    }

    /** Dead-letter is echoed as rejected without error: the JS SDK fails a settlement whose echo has one. */
    private static DeliveryState sameOutcomeType(DeliveryState state) {
        if (state instanceof Accepted) {
            return Accepted.getInstance();
        }
        if (state instanceof Modified) {
            return new Modified();
        }
        if (state instanceof Rejected) {
            return new Rejected();
        }
        return Released.getInstance();
    }

    @Override
    public void closed() {
        LOG.debug("detach link={} (by the client or connection end)", sender.getName());
        ended = true;
        entity.removeConsumer(this, connection.now());
    }

    /** The lock token of an unsettled transfer, and whether the client's disposition was answered. */
    private static final class Pending {
        final UUID token;
        boolean answered;

        Pending(UUID token) {
            this.token = token;
        }
    }
}
