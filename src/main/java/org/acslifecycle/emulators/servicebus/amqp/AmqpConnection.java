package org.acslifecycle.emulators.servicebus.amqp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.acslifecycle.emulators.servicebus.broker.Broker;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.acslifecycle.emulators.servicebus.broker.MessageEntity;
import org.acslifecycle.emulators.servicebus.broker.SendTarget;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transaction.Coordinator;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.engine.TransportException;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: pumps socket bytes through a proton-j transport, answers SASL (ANONYMOUS and friends,
 * or none at all), keeps the idle-timeout heartbeat, and routes link attaches to CBS, $management, senders and
 * receivers. Runs on the server's single event-loop thread.
 */
final class AmqpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);
    /** We advertise half of this as idle-time-out (60 s): clients then heartbeat every 30 s. */
    private static final int LOCAL_IDLE_TIMEOUT_MS = 120_000;
    private static final int MAX_FRAME_SIZE = 256 * 1024;
    private static final int SESSION_INCOMING_CAPACITY = 16 * 1024 * 1024;

    private final AmqpServer server;
    private final NetSocket socket;
    private final Broker broker;
    private final Transport transport = Proton.transport();
    private final Connection connection = Proton.connection();
    private final Collector collector = Proton.collector();
    private final Sasl sasl;
    private final Map<String, Sender> replyLinksByTarget = new HashMap<>();
    private final Map<String, Sender> replyLinksByName = new HashMap<>();
    private final List<Link> links = new ArrayList<>();
    private boolean saslDone;
    private boolean authorized;
    private boolean ended;
    private long tickTimer = -1;

    AmqpConnection(AmqpServer server, NetSocket socket, Broker broker) {
        this.server = server;
        this.socket = socket;
        this.broker = broker;
        transport.setMaxFrameSize(MAX_FRAME_SIZE);
        transport.setIdleTimeout(LOCAL_IDLE_TIMEOUT_MS);
        sasl = transport.sasl();
        sasl.server();
        // The JS SDK with a SharedAccessSignature connection string sends the plain AMQP header: allow it.
        sasl.allowSkip(true);
        sasl.setMechanisms("ANONYMOUS", "PLAIN", "MSSBCBS", "EXTERNAL");
        connection.collect(collector);
        transport.bind(connection);
        socket.handler(this::onBytes);
        socket.closeHandler(v -> ended());
        socket.exceptionHandler(e -> {
            LOG.debug("Socket error, closing: {}", e.toString());
            socket.close();
        });
    }

    MessageCodec codec() {
        return server.codec();
    }

    Instant now() {
        return broker.now();
    }

    Broker broker() {
        return broker;
    }

    void authorize() {
        authorized = true;
    }

    void markDirty() {
        server.markDirty(this);
    }

    // ---- bytes in, bytes out -------------------------------------------------------------------------------

    private void onBytes(Buffer buffer) {
        if (ended) {
            return;
        }
        byte[] data = buffer.getBytes();
        int offset = 0;
        try {
            while (offset < data.length) {
                int capacity = transport.capacity();
                if (capacity <= 0) {
                    break;
                }
                ByteBuffer tail = transport.tail();
                int n = Math.min(tail.remaining(), data.length - offset);
                tail.put(data, offset, n);
                offset += n;
                transport.process();
            }
        } catch (TransportException e) {
            LOG.debug("Transport error from {}: {}", socket.remoteAddress(), e.getMessage());
        } catch (RuntimeException e) {
            // proton-j throws plain exceptions for some protocol violations (e.g. a transfer on an unknown
            // handle). Only this connection is affected: tell the peer if we still can, then drop it.
            LOG.debug("Protocol violation from {}: {}", socket.remoteAddress(), e.toString());
            connection.setCondition(new ErrorCondition(Symbol.valueOf("amqp:connection:framing-error"),
                    "The connection was closed because of a protocol violation."));
            connection.close();
            process();
            socket.close();
            return;
        }
        if (!saslDone && sasl.getRemoteMechanisms().length > 0) {
            // Authentication happens later through CBS; every mechanism is accepted here.
            sasl.done(Sasl.SaslOutcome.PN_SASL_OK);
            saslDone = true;
        }
        markDirty();
        server.runDirty();
    }

    /** Handles queued engine events and writes what the engine produced. */
    void process() {
        if (ended) {
            return;
        }
        Event event;
        while ((event = collector.peek()) != null) {
            try {
                handle(event);
            } catch (RuntimeException e) {
                LOG.warn("Failed to handle {}: {}", event.getType(), e.toString(), e);
            }
            collector.pop();
        }
        writeOutput();
    }

    private void writeOutput() {
        while (true) {
            int pending;
            try {
                pending = transport.pending();
            } catch (TransportException e) {
                pending = -1;
            }
            if (pending > 0) {
                ByteBuffer head = transport.head();
                byte[] out = new byte[pending];
                head.get(out);
                transport.pop(pending);
                socket.write(Buffer.buffer(out));
            } else {
                if (pending < 0) {
                    socket.close();
                }
                return;
            }
        }
    }

    private void scheduleTick() {
        long nowMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        long deadline = transport.tick(nowMs);
        if (deadline != 0 && !ended) {
            tickTimer = server.vertx().setTimer(Math.max(1, deadline - nowMs), id -> {
                tickTimer = -1;
                if (!ended) {
                    scheduleTick();
                    markDirty();
                    server.runDirty();
                }
            });
        }
    }

    /** The socket closed (by either side): end every link, give back every message lock this connection held. */
    void ended() {
        if (ended) {
            return;
        }
        ended = true;
        if (tickTimer != -1) {
            server.vertx().cancelTimer(tickTimer);
        }
        for (Link link : links) {
            if (link.getContext() instanceof LinkEndpoint endpoint) {
                endpoint.closed();
            }
        }
        links.clear();
        broker.releaseLocksOwnedBy(this, broker.now());
        server.connectionEnded(this);
        server.runDirty();
    }

    void close() {
        socket.close();
    }

    // ---- engine events -------------------------------------------------------------------------------------

    private void handle(Event event) {
        switch (event.getType()) {
            case CONNECTION_REMOTE_OPEN -> {
                connection.setContainer("acs-lifecycle-servicebus-emulator");
                connection.open();
                scheduleTick();
            }
            case CONNECTION_REMOTE_CLOSE -> connection.close();
            case SESSION_REMOTE_OPEN -> {
                Session session = event.getSession();
                if (session.getLocalState() == EndpointState.UNINITIALIZED) {
                    session.setIncomingCapacity(SESSION_INCOMING_CAPACITY);
                    session.open();
                }
            }
            case SESSION_REMOTE_CLOSE -> event.getSession().close();
            case LINK_REMOTE_OPEN -> {
                Link link = event.getLink();
                if (link.getLocalState() == EndpointState.UNINITIALIZED) {
                    links.add(link);
                    attach(link);
                }
            }
            case LINK_REMOTE_DETACH, LINK_REMOTE_CLOSE -> {
                Link link = event.getLink();
                links.remove(link);
                if (link.getContext() instanceof LinkEndpoint endpoint) {
                    endpoint.closed();
                    link.setContext(null);
                }
                if (link.getLocalState() != EndpointState.CLOSED) {
                    if (event.getType() == Event.Type.LINK_REMOTE_DETACH) {
                        link.detach();
                    } else {
                        link.close();
                    }
                }
            }
            case LINK_FLOW -> {
                if (event.getLink().getContext() instanceof LinkEndpoint endpoint) {
                    endpoint.onFlow();
                }
            }
            case DELIVERY -> {
                Delivery delivery = event.getDelivery();
                if (delivery.getLink().getContext() instanceof LinkEndpoint endpoint) {
                    endpoint.onDelivery(delivery);
                } else if (delivery.getLink() instanceof Receiver receiver && !delivery.isPartial()) {
                    // A transfer for a link we refused or closed: drop it.
                    receiver.advance();
                    delivery.settle();
                }
            }
            case TRANSPORT_ERROR -> LOG.debug("AMQP transport error: {}", transport.getCondition());
            case TRANSPORT_CLOSED -> socket.close();
            default -> {
            }
        }
    }

    private void attach(Link link) {
        try {
            if (link instanceof Receiver receiver) {
                attachClientSender(receiver);
            } else {
                attachClientReceiver((Sender) link);
            }
        } catch (BrokerException e) {
            refuse(link, e.condition(), e.getMessage());
        }
    }

    /** The client wants to send: to $cbs, to a $management node, or to a queue/topic. */
    private void attachClientSender(Receiver receiver) {
        if (receiver.getRemoteTarget() instanceof Coordinator) {
            requireAuthorized();
            receiver.setMaxMessageSize(org.apache.qpid.proton.amqp.UnsignedLong.valueOf(EntitySendLink.MAX_MESSAGE_SIZE));
            receiver.setContext(new CoordinatorLink(this, receiver, broker.transactions()));
            receiver.setSource(receiver.getRemoteSource());
            receiver.setTarget(receiver.getRemoteTarget());
            receiver.open();
            return;
        }
        String address = receiver.getRemoteTarget() instanceof Target t ? t.getAddress() : null;
        LinkEndpoint endpoint;
        if ("$cbs".equals(address)) {
            endpoint = new RequestLink(this, receiver, (request, txnId) -> server.cbs().handle(request, this, now()));
        } else if (address != null && address.toLowerCase().endsWith("/$management")) {
            String entityPath = address.substring(0, address.length() - "/$management".length());
            requireAuthorized();
            if (!broker.exists(entityPath)) {
                throw BrokerException.entityNotFound(broker.host(), entityPath);
            }
            endpoint = new RequestLink(this, receiver,
                    (request, txnId) -> server.management().handle(entityPath, request, txnId, this, now()));
        } else {
            requireAuthorized();
            SendTarget target = broker.sendTarget(address);
            receiver.setMaxMessageSize(org.apache.qpid.proton.amqp.UnsignedLong.valueOf(EntitySendLink.MAX_MESSAGE_SIZE));
            endpoint = new EntitySendLink(this, receiver, target);
        }
        receiver.setContext(endpoint);
        receiver.setSource(receiver.getRemoteSource());
        receiver.setTarget(receiver.getRemoteTarget());
        receiver.setSenderSettleMode(receiver.getRemoteSenderSettleMode());
        receiver.setReceiverSettleMode(receiver.getRemoteReceiverSettleMode());
        receiver.open();
    }

    /** The client wants to receive: responses of $cbs/$management, or messages of an entity. */
    private void attachClientReceiver(Sender sender) {
        String address = sender.getRemoteSource() instanceof Source s ? s.getAddress() : null;
        if ("$cbs".equals(address) || (address != null && address.toLowerCase().endsWith("/$management"))) {
            String replyTo = sender.getRemoteTarget() instanceof Target t ? t.getAddress() : null;
            if (replyTo != null) {
                replyLinksByTarget.put(replyTo, sender);
            }
            replyLinksByName.put(sender.getName(), sender);
            sender.setContext(new ReplyLink(this, sender));
            sender.setSource(sender.getRemoteSource());
            sender.setTarget(sender.getRemoteTarget());
            sender.setSenderSettleMode(sender.getRemoteSenderSettleMode());
            sender.setReceiverSettleMode(sender.getRemoteReceiverSettleMode());
            sender.open();
            return;
        }
        requireAuthorized();
        server.countReceiveLinkAttach();
        MessageEntity entity = broker.receivable(address);
        EntityReceiveLink endpoint = new EntityReceiveLink(this, sender, entity);
        sender.setContext(endpoint);
        endpoint.attach(now());
    }

    private void requireAuthorized() {
        if (!authorized) {
            throw new BrokerException("amqp:unauthorized-access", 401,
                    "Unauthorized access. No valid token was put on $cbs for this connection.");
        }
    }

    /** Refuses an attach the way the SDKs expect: attach with a null terminus, then detach with the error. */
    void refuse(Link link, String condition, String description) {
        if (link.getLocalState() == EndpointState.UNINITIALIZED) {
            if (link instanceof Sender) {
                link.setSource(null);
                link.setTarget(link.getRemoteTarget());
            } else {
                link.setSource(link.getRemoteSource());
                link.setTarget(null);
            }
            link.open();
        }
        link.setContext(null);
        link.setCondition(new ErrorCondition(Symbol.valueOf(condition), description));
        link.close();
        links.remove(link);
        markDirty();
    }

    // ---- request/response ----------------------------------------------------------------------------------

    /** Sends a response on the link whose target (else name) equals the request's reply-to, pre-settled. */
    void reply(Message request, Message response) {
        String replyTo = request.getReplyTo();
        Sender link = replyTo == null ? null : replyLinksByTarget.getOrDefault(replyTo, replyLinksByName.get(replyTo));
        if (link == null || link.getLocalState() != EndpointState.ACTIVE) {
            LOG.debug("No reply link for reply-to '{}'; response dropped", replyTo);
            return;
        }
        // The correlation id keeps the request id's AMQP type: Java sends ulong, JS a string.
        response.setCorrelationId(request.getMessageId());
        response.setAddress(replyTo);
        byte[] bytes;
        try {
            bytes = MessageCodec.toBytes(response);
        } catch (RuntimeException e) {
            // Never leave a request unanswered: the client would wait for its whole try timeout.
            LOG.warn("Could not encode a response: {}", e.toString());
            Message failure = Responses.error(new BrokerException("amqp:internal-error", 500, "The response could not be encoded."));
            failure.setCorrelationId(request.getMessageId());
            bytes = MessageCodec.toBytes(failure);
        }
        UUID tag = UUID.randomUUID();
        Delivery delivery = link.delivery(LockTokens.toDeliveryTag(tag));
        link.send(bytes, 0, bytes.length);
        delivery.settle();
        link.advance();
        markDirty();
    }

    void unregisterReplyLink(Sender sender) {
        replyLinksByTarget.values().removeIf(s -> s == sender);
        replyLinksByName.values().removeIf(s -> s == sender);
    }
}
