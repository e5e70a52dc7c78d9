package org.acslifecycle.emulators.servicebus.amqp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.acslifecycle.emulators.entra.EntraTokenVerifier;
import org.acslifecycle.emulators.servicebus.broker.Broker;

/**
 * The TCP side: a Vert.x server with ONE event loop, so the broker, every connection and every timer run on
 * one thread and the broker needs no locks. Other threads reach the broker only through {@link #call}.
 */
public final class AmqpServer implements AutoCloseable {
    /** How often locks, sessions, schedules and TTLs are checked; bounds how late a lock expiry is noticed. */
    private static final long SWEEP_INTERVAL_MS = 100;

    private final Broker broker;
    private final Vertx vertx;
    private final Context context;
    private final MessageCodec codec = new MessageCodec();
    private final CbsNode cbs;
    private final ManagementNode management;
    private final Set<AmqpConnection> dirty = new LinkedHashSet<>();
    private final Set<AmqpConnection> connections = new LinkedHashSet<>();
    private long receiveLinkAttaches;
    private long connectionsAccepted;
    private NetServer server;
    private int port;
    private boolean closed;

    public AmqpServer(Broker broker, String keyName, String key) {
        this(broker, keyName, key, null);
    }

    /** {@code entra}: also accept CBS tokens of type {@code jwt} it validates; {@code null} for SAS only. */
    public AmqpServer(Broker broker, String keyName, String key, EntraTokenVerifier entra) {
        this.broker = broker;
        this.cbs = new CbsNode(new SasTokenVerifier(keyName, key), entra);
        this.management = new ManagementNode(broker, codec);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        this.context = vertx.getOrCreateContext();
    }

    /** Binds host:port (0 = any free port) and returns the bound port. */
    public int start(String host, int requestedPort) throws Exception {
        // Created and bound from the broker's context, so connections and timers all run on that one thread.
        Future<NetServer> listening = call(() -> {
            server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(requestedPort)
                    .setTcpNoDelay(true).setReuseAddress(true));
            server.connectHandler(socket -> {
                connectionsAccepted++;
                connections.add(new AmqpConnection(this, socket, broker));
            });
            vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> {
                broker.sweep(broker.now());
                runDirty();
            });
            return server.listen();
        });
        try {
            port = listening.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot listen on " + host + ":" + requestedPort + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        return port;
    }

    public int port() {
        return port;
    }

    /** Runs work on the broker thread and waits for its result. */
    public <T> T call(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
            runDirty();
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("The emulator did not answer within 10 s", e);
        }
    }

    Vertx vertx() {
        return vertx;
    }

    MessageCodec codec() {
        return codec;
    }

    CbsNode cbs() {
        return cbs;
    }

    ManagementNode management() {
        return management;
    }

    void markDirty(AmqpConnection connection) {
        dirty.add(connection);
    }

    /** Processes every connection touched by the last piece of work (a send may feed another connection's link). */
    void runDirty() {
        while (!dirty.isEmpty()) {
            AmqpConnection next = dirty.iterator().next();
            dirty.remove(next);
            next.process();
        }
    }

    void countReceiveLinkAttach() {
        receiveLinkAttaches++;
    }

    /** How many receive links clients have attached to entities so far (tests use it to spot busy loops). */
    public long receiveLinkAttaches() throws Exception {
        return call(() -> receiveLinkAttaches);
    }

    /** How many TCP connections clients have opened so far (a reconnect after a drop shows here). */
    public long connectionsAccepted() throws Exception {
        return call(() -> connectionsAccepted);
    }

    void connectionEnded(AmqpConnection connection) {
        connections.remove(connection);
        dirty.remove(connection);
    }

    /** Drops every client connection abruptly (tests use it to simulate a broker-side failure); returns how many. */
    public int dropConnections() throws Exception {
        return call(() -> {
            List<AmqpConnection> open = new ArrayList<>(connections);
            open.forEach(AmqpConnection::close);
            return open.size();
        });
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
