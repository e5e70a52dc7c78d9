package org.acslifecycle.drills;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.acslifecycle.app.EmbeddedEmulators;
import org.acslifecycle.app.Main;
import org.acslifecycle.app.WorkerProcess;
import org.acslifecycle.core.Operation;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulator;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;

/**
 * The real parts one drill runs on: both emulators in this JVM, a fresh schema on the drills' PostgreSQL, the worker
 * configuration file, a publisher, and the worker processes the drill starts (each in a JVM of its own, so that it
 * can be SIGKILLed). Closing it stops the workers and the emulators and drops the schema.
 */
public final class DrillRig implements AutoCloseable {

    private static final Pattern HEALTH = Pattern.compile("health and metrics on http://[^:]+:(\\d+)/");

    private final DrillContext context;
    private final RigOptions options;
    private final EmbeddedEmulators emulators;
    private final LedgerSettings ledgerSettings;
    private final JdbcLedger ledger;
    private final Path configFile;
    private final ServiceBusSenderClient sender;
    private final EventPublisher publisher;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int started;

    DrillRig(DrillContext context, RigOptions options) {
        this.context = context;
        this.options = options;
        this.emulators = EmbeddedEmulators.start(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")),
                0, options.acs());
        this.ledgerSettings = context.database().freshSchema(10);
        this.ledger = JdbcLedger.open(ledgerSettings, Clock.systemUTC()); // migrates before any worker runs
        Map<String, String> settings = options.deletionBreaker() ? options.workerSettings()
                : WorkerProcess.withoutDeletionBreaker(options.workerSettings());
        this.configFile = WorkerProcess.writeConfig(emulators, ledgerSettings, settings,
                context.logs().resolve("worker.properties"));
        this.sender = ServiceBusClients.builder(new ServiceBusSettings(
                        Optional.of(emulators.serviceBus().connectionString()), Optional.empty(), options.queue(),
                        "lifecycle-outcomes", false, 1, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(30), false))
                .sender().queueName(options.queue()).buildClient();
        this.publisher = new EventPublisher(sender);
        KnownSecrets secrets = context.secrets();
        secrets.add("Service Bus connection string", emulators.serviceBus().connectionString());
        sharedAccessKey(emulators.serviceBus().connectionString())
                .ifPresent(key -> secrets.add("Service Bus SAS key", key));
        secrets.add("ACS connection string", emulators.acs().connectionString());
        secrets.add("ACS HMAC access key", emulators.acs().accessKey());
    }

    public AcsIdentityEmulator acs() {
        return emulators.acs();
    }

    public ServiceBusEmulator serviceBus() {
        return emulators.serviceBus();
    }

    public JdbcLedger ledger() {
        return ledger;
    }

    public LedgerSettings ledgerSettings() {
        return ledgerSettings;
    }

    public Path configFile() {
        return configFile;
    }

    public String queue() {
        return options.queue();
    }

    public EventPublisher publisher() {
        return publisher;
    }

    public List<WorkerProcess> workers() {
        return List.copyOf(workers);
    }

    /** A worker process on this rig's configuration; its output goes to {@code <drill logs>/worker-<n>.out/.err}. */
    public WorkerProcess startWorker() {
        WorkerProcess worker = WorkerProcess.start(configFile, context.logs(), "worker-" + started++);
        workers.add(worker);
        return worker;
    }

    /** SIGKILL; the worker stays in {@link #workers()} as dead, which {@link #awaitOrFail} tolerates. */
    public void kill(WorkerProcess worker) throws InterruptedException {
        worker.kill();
    }

    /** The worker's health port, from the line it logs when it has started. */
    public int healthPort(WorkerProcess worker, Duration timeout) throws InterruptedException {
        Path err = context.logs().resolve(worker.name() + ".err");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                Matcher found = HEALTH.matcher(Files.exists(err) ? Files.readString(err) : "");
                if (found.find()) {
                    return Integer.parseInt(found.group(1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(worker + " logged no health port within " + timeout);
    }

    /** The HTTP status of the worker's {@code /health/ready}, or -1 when it does not answer. */
    public int readiness(WorkerProcess worker) throws InterruptedException {
        return get(worker, "/health/ready").map(java.net.http.HttpResponse::statusCode).orElse(-1);
    }

    /**
     * The value of one Prometheus sample on the worker's {@code /metrics}, e.g. {@code acs_lifecycle_intake_paused}
     * (the first sample of that name, whatever its labels); empty when the worker does not answer or has no such
     * sample.
     */
    public Optional<Double> metric(WorkerProcess worker, String name) throws InterruptedException {
        Pattern sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$");
        return get(worker, "/metrics").map(java.net.http.HttpResponse::body).map(sample::matcher)
                .filter(Matcher::find).map(found -> Double.parseDouble(found.group(1)));
    }

    private Optional<java.net.http.HttpResponse<String>> get(WorkerProcess worker, String path)
            throws InterruptedException {
        int port = healthPort(worker, Duration.ofMinutes(1));
        try {
            return Optional.of(http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        } catch (IOException notAnswering) { // a timeout too: a probe that does not answer in time has failed
            return Optional.empty();
        }
    }

    /** Publishes one event of a load, with the MessageId of its source and id. */
    public void publish(LifecycleLoad.Event event) {
        publisher.publish(body(event));
    }

    /** As {@link #publish(LifecycleLoad.Event)} with this MessageId (a republish Service Bus cannot tell apart). */
    public void publish(LifecycleLoad.Event event, String messageId) {
        publisher.publish(body(event), messageId);
    }

    public static byte[] body(LifecycleLoad.Event event) {
        return EventPublisher.cloudEvent(event.id(), LifecycleLoad.SOURCE, event.type().cloudEventType(),
                event.subject(), event.time().toString(), "reliability drill");
    }

    /** A publisher thread that sends {@code events} in order; {@link Publishing#join} rethrows its failure. */
    public Publishing publishInBackground(List<LifecycleLoad.Event> events) {
        return publishInBackground(() -> events.forEach(this::publish));
    }

    /** Runs {@code sending} (which publishes through this rig) on a thread of its own. */
    public Publishing publishInBackground(Runnable sending) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(sending, "drill-publisher");
        thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        thread.start();
        return new Publishing(thread, failure);
    }

    /** A background publisher. */
    public record Publishing(Thread thread, AtomicReference<Throwable> failure) {
        public void join(Duration limit) throws InterruptedException {
            thread.join(limit.toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException("publishing did not finish within " + limit);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("publishing failed: " + failure.get(), failure.get());
            }
        }
    }

    /** How many events the ledger's handled-event log holds (all sources). */
    public int handledCount() throws SQLException {
        try (Connection sql = connect(); PreparedStatement count = sql.prepareStatement("SELECT count(*) FROM handled_event");
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    /** The ids of the load's events in the handled-event log. */
    public Set<String> handledEventIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection sql = connect();
                PreparedStatement select = sql.prepareStatement("SELECT event_id FROM handled_event WHERE event_source = ?")) {
            select.setString(1, LifecycleLoad.SOURCE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    public int queueSize() throws Exception {
        return emulators.serviceBus().messageCount(options.queue());
    }

    /** No operation waits in the journal. */
    public boolean journalDone() {
        return ledger.operations(Set.of(Operation.Status.PENDING), 1).isEmpty();
    }

    /** Every event handled, the queue empty and the journal done. */
    public boolean drained(int events) throws Exception {
        return handledCount() >= events && queueSize() == 0 && journalDone();
    }

    /** A condition a drill waits for. */
    public interface Check {
        boolean holds() throws Exception;
    }

    /**
     * Polls until {@code check} holds; fails early when every worker started has exited by itself (a killed one the
     * drill restarts counts only until then), late when {@code limit} runs out.
     */
    public void awaitOrFail(Duration limit, String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!check.holds()) {
            if (!workers.isEmpty() && workers.stream().noneMatch(WorkerProcess::isAlive)) {
                throw new IllegalStateException("no worker alive while waiting for " + what + "; see " + context.logs());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("gave up after " + limit + " waiting for " + what + " (handled "
                        + safeHandledCount() + ", queue " + queueSize() + "); see " + context.logs());
            }
            Thread.sleep(100);
        }
    }

    private String safeHandledCount() {
        try {
            return String.valueOf(handledCount());
        } catch (SQLException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /**
     * Runs the CLI in this JVM against this rig's configuration ({@code --config} is added), as an operator would;
     * returns its exit code and output.
     */
    public CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", configFile.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** One CLI command's exit code and output. */
    public record CliRun(int exit, String out, String err) {}

    /**
     * Issues an ACS token for {@code person} through the CLI, so that tokens exist for the secrets drill to look
     * for (the worker itself never issues one); returns it. (Closing the rig registers every token ACS issued.)
     */
    public String issueToken(String person) {
        CliRun run = cli("token", "issue", person, "--scope", "chat");
        if (run.exit() != 0) {
            throw new IllegalStateException("token issue " + person + " failed (" + run.exit() + "): " + run.err());
        }
        return run.out().replaceAll("(?s).*token: (\\S+).*", "$1");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(ledgerSettings.jdbcUrl(), ledgerSettings.user(), ledgerSettings.password());
    }

    private static Optional<String> sharedAccessKey(String connectionString) {
        return connectionStringField(connectionString, "SharedAccessKey");
    }

    /** One {@code Name=value} field of a Service Bus connection string. */
    static Optional<String> connectionStringField(String connectionString, String name) {
        for (String part : connectionString.split(";")) {
            if (part.startsWith(name + "=")) {
                return Optional.of(part.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** Stops everything; first registers every token the ACS emulator issued, for the secrets drill. */
    @Override
    public void close() throws Exception {
        emulators.acs().issuedTokens().forEach(token -> context.secrets().add("ACS token", token));
        for (WorkerProcess worker : workers) {
            if (worker.isAlive()) {
                worker.kill();
            }
        }
        sender.close();
        ledger.close();
        if (context.database().running()) {
            context.database().drop(ledgerSettings);
        }
        emulators.close();
    }
}
