package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.emulators.entra.EntraTokenVerifier;
import org.acslifecycle.emulators.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local ACS Identity service over HTTPS on 127.0.0.1: the operations {@code azure-communication-identity} 1.4.10
 * calls, with the service's status codes, bodies, HMAC authentication, quotas and real revocation, plus fault
 * injection and inspection (Java API here, HTTP under {@code /emulator/}, see {@link AdminApi}).
 *
 * <pre>{@code
 * try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults())) {
 *     String cs = acs.connectionString();     // endpoint=https://127.0.0.1:PORT/;accesskey=...
 *     Path pem = acs.certificatePem();        // trust exactly this certificate
 * }
 * }</pre>
 */
public final class AcsIdentityEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AcsIdentityEmulator.class);

    private final AcsEmulatorConfig config;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final TlsMaterial tls;
    private final AccessKeys keys;
    private final IdentityStore store;
    private final RepeatableRequests repeatables;
    private final QuotaLimiter quotas;
    private final Faults faults;
    private final CallCounter counter;

    private AcsIdentityEmulator(AcsEmulatorConfig config, HttpsServer server, ExecutorService executor,
            TlsMaterial tls, AccessKeys keys, IdentityStore store, RepeatableRequests repeatables, QuotaLimiter quotas,
            Faults faults, CallCounter counter) {
        this.config = config;
        this.server = server;
        this.executor = executor;
        this.tls = tls;
        this.keys = keys;
        this.store = store;
        this.repeatables = repeatables;
        this.quotas = quotas;
        this.faults = faults;
        this.counter = counter;
    }

    /** Binds 127.0.0.1 on the configured port (0 = any free one) and starts serving. */
    public static AcsIdentityEmulator start(AcsEmulatorConfig config) {
        enableNoDelay();
        SecureRandom secure = new SecureRandom();
        Random seeded = new Random(config.randomSeed());
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        AccessKeys keys = new AccessKeys(
                config.accessKey() != null ? config.accessKey() : AccessKeys.randomKey(secure), secure);
        TokenMinter minter = new TokenMinter(json, config.resourceId());
        IdentityStore store = new IdentityStore(config.resourceId(), minter, seeded);
        QuotaLimiter quotas = new QuotaLimiter(config.quotaWindowFactor());
        Faults faults = new Faults(config.faults(), keys, config.clock(), seeded);
        CallCounter counter = new CallCounter();
        HmacAuthenticator authenticator = new HmacAuthenticator(keys, config.maxDateSkew(), config.bearerMode(),
                config.entraIssuer() == null ? null : new EntraTokenVerifier(config.entraIssuer(), config.clock()));
        RepeatableRequests repeatables = new RepeatableRequests();
        IdentityApi identityApi = new IdentityApi(json, config.resourceId(), store, repeatables, authenticator,
                quotas, faults, counter, config.unknownIdentityBehaviour(), seeded, config.clock());
        AdminApi adminApi = new AdminApi(json, store, faults, counter, config.clock());
        TlsMaterial tls = TlsMaterial.create(config.tls().pemOut(), config.tls().certificatePem(),
                config.tls().privateKeyPem(), "ACS Identity Emulator", config.clock());
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        try {
            HttpsServer server = HttpsServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
            server.createContext("/", new HttpEdge(identityApi, adminApi, config.clock()));
            server.setExecutor(executor);
            server.start();
            AcsIdentityEmulator emulator = new AcsIdentityEmulator(config, server, executor, tls, keys, store,
                    repeatables, quotas, faults, counter);
            LOG.info("ACS Identity emulator listening on {} (certificate {})", emulator.endpoint(),
                    tls.certificatePem());
            return emulator;
        } catch (IOException e) {
            executor.shutdownNow();
            tls.close();
            throw new UncheckedIOException("cannot bind the ACS Identity emulator to 127.0.0.1:" + config.port(), e);
        }
    }

    /** {@code https://127.0.0.1:PORT/}. */
    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + port() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code endpoint=https://127.0.0.1:PORT/;accesskey=…} with the published key. A secret: do not log it. */
    public String connectionString() {
        return "endpoint=" + endpoint() + ";accesskey=" + keys.published();
    }

    /** The published access key (base64). A secret: do not log it. */
    public String accessKey() {
        return keys.published();
    }

    /** The PEM file with the emulator's certificate: the one certificate a client should trust for it. */
    public Path certificatePem() {
        return tls.certificatePem();
    }

    public AcsEmulatorConfig config() {
        return config;
    }

    /** Fault injection at run time (latency, error shares, scripted faults, outage, wrong-key mode). */
    public Faults faults() {
        return faults;
    }

    public List<IdentityView> identities() {
        return store.identities();
    }

    /**
     * Every access token string this emulator has issued, so that a test can search logs for them (the secrets
     * drill). In-process only: the inspection endpoint never serves a token string.
     */
    public List<String> issuedTokens() {
        return store.minted();
    }

    public List<TokenView> tokens() {
        return store.tokens(config.clock().instant());
    }

    /** Whether ACS would accept the token now (revoked / identity deleted / expired / not ours otherwise). */
    public TokenVerdict inspectToken(String token) {
        return store.inspect(token, config.clock().instant());
    }

    public CallCounts callCounts() {
        return counter.snapshot();
    }

    /** The W3C {@code traceparent} header of the last identity request that carried one: what a tracing client sent. */
    public java.util.Optional<String> lastTraceparent() {
        return counter.lastTraceparent();
    }

    public void resetCallCounts() {
        counter.reset();
    }

    /** Forget identities, tokens, repeatable requests, quotas, counts and faults: a fresh service for the next test. */
    public void reset() {
        store.clear();
        repeatables.clear();
        quotas.reset();
        counter.reset();
        faults.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tls.close();
        LOG.info("ACS Identity emulator on port {} stopped", port());
    }

    /**
     * The JDK server writes response headers and body in separate TLS records; with Nagle on, the client's delayed
     * ACK adds ~25 ms to every answer that has a body (measured: 50 creates 1.2 s → 0.06 s). The property only
     * concerns {@code com.sun.net.httpserver}, is read once when its classes load, and an explicit setting wins.
     */
    private static void enableNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "acs-emulator-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
