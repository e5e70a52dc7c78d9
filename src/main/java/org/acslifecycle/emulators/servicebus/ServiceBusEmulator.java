package org.acslifecycle.emulators.servicebus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.acslifecycle.emulators.servicebus.amqp.AmqpServer;
import org.acslifecycle.emulators.servicebus.broker.Broker;
import org.acslifecycle.emulators.servicebus.broker.BrokerMessage;
import org.acslifecycle.emulators.servicebus.broker.MessageEntity;
import org.acslifecycle.emulators.entra.EntraTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Azure Service Bus emulator speaking AMQP 1.0 on 127.0.0.1, for the official SDKs with
 * {@code UseDevelopmentEmulator=true}. In memory only: state is gone when it stops.
 *
 * <pre>{@code
 * try (ServiceBusEmulator sb = ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(topology, 0))) {
 *     new ServiceBusClientBuilder().connectionString(sb.connectionString())...
 * }
 * }</pre>
 */
public final class ServiceBusEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceBusEmulator.class);
    private final ServiceBusEmulatorOptions options;
    private final Broker broker;
    private final AmqpServer server;
    private final int port;

    private ServiceBusEmulator(ServiceBusEmulatorOptions options) throws Exception {
        this.options = options;
        this.broker = new Broker(options.topology(), ServiceBusEmulatorOptions.HOST, options.clock());
        EntraTokenVerifier entra = null;
        if (options.entraIssuer() != null) {
            entra = new EntraTokenVerifier(options.entraIssuer(), options.clock());
            // Now, not on the event loop at the first put-token: fails fast when the issuer is unreachable.
            entra.refreshKeys();
        }
        this.server = new AmqpServer(broker, options.sharedAccessKeyName(), options.sharedAccessKey(), entra);
        try {
            this.port = server.start(ServiceBusEmulatorOptions.HOST, options.port());
        } catch (Exception e) {
            server.close();
            throw e;
        }
        LOG.info("Service Bus emulator listening on {}:{} ({} queues, {} topics)", ServiceBusEmulatorOptions.HOST, port,
                options.topology().queues().size(), options.topology().topics().size());
    }

    public static ServiceBusEmulator start(ServiceBusEmulatorOptions options) throws Exception {
        return new ServiceBusEmulator(options);
    }

    public int port() {
        return port;
    }

    /** The connection string the SDKs take; contains the key, so never log it. */
    public String connectionString() {
        return "Endpoint=sb://" + ServiceBusEmulatorOptions.HOST + ":" + port + ";SharedAccessKeyName="
                + options.sharedAccessKeyName() + ";SharedAccessKey=" + options.sharedAccessKey()
                + ";UseDevelopmentEmulator=true;";
    }

    /** Messages of a queue, subscription ({@code topic/subscriptions/name}) or dead-letter queue, in sequence order. */
    public List<InspectedMessage> messages(String entityPath) throws Exception {
        return server.call(() -> broker.receivable(entityPath).snapshot().stream().map(ServiceBusEmulator::inspect).toList());
    }

    /** Messages of the entity's {@code $deadletterqueue}. */
    public List<InspectedMessage> deadLetters(String entityPath) throws Exception {
        return messages(entityPath + "/$deadletterqueue");
    }

    /** Active (incl. locked), deferred and scheduled messages of an entity. */
    public int messageCount(String entityPath) throws Exception {
        return server.call(() -> broker.receivable(entityPath).snapshot().size());
    }

    public int lockedCount(String entityPath) throws Exception {
        return server.call(() -> broker.receivable(entityPath).lockedCount());
    }

    /** Receive links attached to entities since start; a client that busy-loops shows up here. */
    public long receiveLinkAttaches() throws Exception {
        return server.receiveLinkAttaches();
    }

    /** Closes every client connection from the broker side, as a network failure would; returns how many. */
    public int dropAllConnections() throws Exception {
        return server.dropConnections();
    }

    /** How many connections clients have opened so far: each reconnect counts one. */
    public long connectionsAccepted() throws Exception {
        return server.connectionsAccepted();
    }

    public List<String> entityPaths() throws Exception {
        return server.call(() -> broker.entities().stream().map(MessageEntity::path).toList());
    }

    private static InspectedMessage inspect(BrokerMessage m) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (m.content().getApplicationProperties() != null && m.content().getApplicationProperties().getValue() != null) {
            props.putAll(m.content().getApplicationProperties().getValue());
        }
        props.putAll(m.propertyChanges());
        return new InspectedMessage(m.sequenceNumber(), m.messageId(), m.sessionId(), m.state().name(), m.deliveryCount(),
                m.lockToken() != null, Map.copyOf(props));
    }

    /** Stops accepting connections and drops all state. */
    public void stop() throws Exception {
        server.close();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
