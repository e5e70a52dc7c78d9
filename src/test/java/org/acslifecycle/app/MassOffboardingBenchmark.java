package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.acslifecycle.core.Operation;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.ledger.PostgresDatabase;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.slf4j.LoggerFactory;

/**
 * The controller issue's benchmark: the worker at the ACS quotas. Not a test. The quota window is scaled to
 * {@code W} seconds (ACS: 30) in the ACS emulator and in the worker's budgets alike; everything else is the
 * default configuration (no concurrency override). Phases, in one run:
 * <ol>
 *   <li>N joiners, then N leavers: time until every leaver's access is cut (a revoke or a delete acknowledged),
 *       against the combined bound N·W / (revoke quota + delete quota), and until every identity is deleted, against
 *       N·W / delete quota; 429s seen;</li>
 *   <li>a backlog of N joiners and N leavers recorded, then 10 suspensions: publish → revoke acknowledged;</li>
 *   <li>single offboardings at light load (one every 250 ms): effective time → ACS acknowledged;</li>
 *   <li>intake alone (events recorded per second, ACS work still queued) on H2, with sessions on the session
 *       queue, and on the local PostgreSQL with the worker in its own JVM, whose CPU time per event is measured
 *       there (the emulators run in this JVM, so they are not counted).</li>
 * </ol>
 * The last line is {@code RESULT key=value …}. Run:
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.app.MassOffboardingBenchmark -Dexec.args="2000 25"
 * </pre>
 */
public final class MassOffboardingBenchmark {

    private static final int QUOTA_DELETES = 500;
    private static final int QUOTA_REVOKES = 500;
    private static final String SOURCE = "/hr/bench";

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Map<String, String> result = new LinkedHashMap<>();
        result.put("people", String.valueOf(people));
        result.put("window_s", String.valueOf(window));
        AcsEmulatorConfig acs = AcsEmulatorConfig.defaults().withQuotaWindowFactor(window / 30.0);
        Map<String, String> overrides = WorkerProcess.withoutDeletionBreaker(Map.of("acs.pacing.window", "PT" + window + "S"));

        Path directory = Files.createTempDirectory("mass-offboarding");
        try (LocalWorker local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), acs, overrides)) {
            Instant hired = Instant.now().minus(Duration.ofDays(30));
            // Everyone the phases need, hired up front: N leavers, N more for the backlog, 10 to suspend, 40 for lag.
            publish(local.sender(), people, "user.onboarded", "a", hired);
            publish(local.sender(), people, "user.onboarded", "b", hired);
            publish(local.sender(), 10, "user.onboarded", "s", hired);
            publish(local.sender(), 40, "user.onboarded", "l", hired);
            waitUntil(() -> live(local, "") == 2L * people + 50 && local.journalDone(), Duration.ofMinutes(30), local);
            local.emulators.acs().resetCallCounts();

            // 1. Mass offboarding.
            Instant start = Instant.now();
            publish(local.sender(), people, "user.offboarded", "a", start);
            waitUntil(() -> cut(local, "a") == people, Duration.ofMinutes(30), local);
            double cutSeconds = seconds(start);
            waitUntil(() -> live(local, "a") == 0, Duration.ofMinutes(30), local);
            double deleteSeconds = seconds(start);
            double cutBound = (double) people * window / (QUOTA_REVOKES + QUOTA_DELETES);
            double deleteBound = (double) people * window / QUOTA_DELETES;
            long throttled = throttled(local);
            System.out.printf("Mass offboarding: %d leavers, all cut off in %.1f s (bound %.1f s), all deleted in %.1f s"
                    + " (bound %.1f s), 429s %d%n", people, cutSeconds, cutBound, deleteSeconds, deleteBound, throttled);
            result.put("cutoff_ratio", format(cutBound / cutSeconds));
            result.put("delete_ratio", format(deleteBound / deleteSeconds));
            result.put("throttled", String.valueOf(throttled));

            // 2. Priority: a recorded backlog of N joiners and N leavers, then 10 suspensions.
            publish(local.sender(), people, "user.onboarded", "c", Instant.now());
            publish(local.sender(), people, "user.offboarded", "b", Instant.now());
            waitUntil(() -> handled(local, "c-user.onboarded") == people && handled(local, "b-user.offboarded") == people,
                    Duration.ofMinutes(10), local);
            int backlog = local.worker.ledger().operations(java.util.Set.of(Operation.Status.PENDING), 1_000_000).size();
            Map<String, Instant> suspendedAt = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                Instant now = Instant.now();
                suspendedAt.put("s" + i, now);
                publishOne(local.sender(), "user.suspended", "s" + i, "s-suspend-" + i, now);
            }
            waitUntil(() -> suspendedAt.keySet().stream().allMatch(p -> revokedAt(local, p) != null),
                    Duration.ofMinutes(10), local);
            List<Long> priority = new ArrayList<>();
            suspendedAt.forEach((person, at) -> priority.add(Duration.between(at, revokedAt(local, person)).toMillis()));
            System.out.printf("Priority: 10 suspensions behind a backlog of %d operations: publish -> revoked p50 %d ms,"
                    + " p99 %d ms%n", backlog, percentile(priority, 50), percentile(priority, 99));
            result.put("priority_p99_ms", String.valueOf(percentile(priority, 99)));
            waitUntil(local::journalDone, Duration.ofMinutes(30), local);

            // 3. Lag at light load.
            Map<String, Instant> leftAt = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                Instant now = Instant.now();
                leftAt.put("l" + i, now);
                publishOne(local.sender(), "user.offboarded", "l" + i, "l-off-" + i, now);
                Thread.sleep(250);
            }
            waitUntil(() -> cut(local, "l") == 40, Duration.ofMinutes(5), local);
            List<Long> lags = new ArrayList<>();
            leftAt.forEach((person, at) -> lags.add(Duration.between(at, cutAt(local, person)).toMillis()));
            System.out.printf("Lag, one offboarding every 250 ms: effective time -> cut off p50 %d ms, p99 %d ms%n",
                    percentile(lags, 50), percentile(lags, 99));
            result.put("lag_p99_ms", String.valueOf(percentile(lags, 99)));

            // 4a. Intake on H2.
            result.put("intake_per_s", format(intakeRate(local, "i", Math.max(2000, people))));
        }

        // 4b. Intake with sessions.
        Path sessions = Files.createTempDirectory("mass-offboarding-sessions");
        Map<String, String> sessionMode = new HashMap<>(overrides);
        sessionMode.put("servicebus.sessions", "true");
        sessionMode.put("servicebus.queue", "lifecycle-events-sessions");
        try (LocalWorker local = new LocalWorker(LedgerSettings.h2File(sessions.resolve("ledger")), acs, sessionMode)) {
            result.put("intake_sessions_per_s", format(intakeRate(local, "q", 300)));
        }

        // 4c. Intake and CPU per event of the worker alone, in its own JVM, on PostgreSQL.
        postgres(acs, window, Math.max(2000, people), result);

        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        System.out.println(line);
        System.exit(0);
    }

    /** Events recorded per second, from the first publish until every one is in the handled-event log. */
    private static double intakeRate(LocalWorker local, String prefix, int count) throws Exception {
        Instant start = Instant.now();
        publish(local.sender(), count, "user.onboarded", prefix, Instant.now());
        waitUntil(() -> handled(local, prefix + "-user.onboarded") == count, Duration.ofMinutes(10), local);
        double rate = count / seconds(start);
        System.out.printf("Intake (%s, sessions %s): %d events recorded in %.1f s = %.0f/s%n",
                local.settings.ledger().jdbcUrl().startsWith("jdbc:h2") ? "H2" : "PostgreSQL",
                local.settings.serviceBus().sessions(), count, seconds(start), rate);
        return rate;
    }

    private static void postgres(AcsEmulatorConfig acs, int window, int count, Map<String, String> result)
            throws Exception {
        LedgerSettings ledger = PostgresDatabase.freshSchema(20);
        try (EmbeddedEmulators emulators = EmbeddedEmulators.start(
                        EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0, acs);
                JdbcLedger migrated = JdbcLedger.open(ledger, Clock.systemUTC());
                Connection sql = DriverManager.getConnection(ledger.jdbcUrl(), ledger.user(), ledger.password())) {
            Path logs = Files.createTempDirectory("mass-offboarding-worker");
            // The worker as production runs it: its own JVM with the full JIT, default heap and GC.
            WorkerProcess worker = WorkerProcess.start(workerConfig(emulators, ledger, window, logs), logs, "worker",
                    List.of("-Xmx512m"));
            try (ServiceBusSenderClient sender = ServiceBusClients.builder(WorkerSettings.from(
                    org.acslifecycle.app.config.ConfigSource.resolve(logs.resolve("worker.properties"), Map.of()))
                    .serviceBus()).sender().queueName("lifecycle-events").buildClient()) {
                // Warm up (JIT, pools), then measure.
                publish(sender, 1000, "user.onboarded", "w", Instant.now());
                waitUntilSql(sql, "SELECT count(*) FROM handled_event", 1000, worker);
                waitUntilSql(sql, "SELECT count(*) FROM operation WHERE status = 'PENDING'", 0, worker);
                long cpuBefore = cpuMillis(worker.pid());
                Instant start = Instant.now();
                publish(sender, count, "user.onboarded", "g", Instant.now());
                waitUntilSql(sql, "SELECT count(*) FROM handled_event", 1000 + count, worker);
                double intake = count / seconds(start);
                waitUntilSql(sql, "SELECT count(*) FROM operation WHERE status = 'PENDING'", 0, worker);
                double cpuPerEvent = (double) (cpuMillis(worker.pid()) - cpuBefore) / count;
                System.out.printf("Intake (PostgreSQL, worker in its own JVM): %d events recorded at %.0f/s; worker CPU"
                        + " %.2f ms per event (intake + its ACS create)%n", count, intake, cpuPerEvent);
                result.put("intake_postgres_per_s", format(intake));
                result.put("cpu_ms_per_event", format(cpuPerEvent));
            } finally {
                worker.kill();
            }
        } finally {
            PostgresDatabase.drop(ledger);
        }
    }

    private static Path workerConfig(EmbeddedEmulators emulators, LedgerSettings ledger, int window, Path logs) {
        return WorkerProcess.writeConfig(emulators, ledger, WorkerProcess.withoutDeletionBreaker(Map.of("acs.pacing.window", "PT" + window + "S",
                "log.format", "human")), logs.resolve("worker.properties"));
    }

    /** utime + stime of a process, from /proc (Linux), in milliseconds. */
    private static long cpuMillis(long pid) throws IOException {
        String[] fields = Files.readString(Path.of("/proc", String.valueOf(pid), "stat")).replaceAll(".*\\) ", "")
                .split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    }

    private static void waitUntilSql(Connection sql, String query, long expected, WorkerProcess worker) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(20));
        while (true) {
            try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery(query)) {
                row.next();
                if (row.getLong(1) == expected) {
                    return;
                }
            }
            if (!worker.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("gave up waiting for " + query + " = " + expected);
            }
            Thread.sleep(50);
        }
    }

    /** Publishes {@code count} events in batches: prefix + i is the person, type the event type. */
    static void publish(ServiceBusSenderClient sender, int count, String type, String prefix, Instant time) {
        ServiceBusMessageBatch batch = sender.createMessageBatch();
        for (int i = 0; i < count; i++) {
            ServiceBusMessage message = message(type, prefix + i, prefix + "-" + type + "-" + i, time);
            if (!batch.tryAddMessage(message)) {
                sender.sendMessages(batch);
                batch = sender.createMessageBatch();
                batch.tryAddMessage(message);
            }
        }
        if (batch.getCount() > 0) {
            sender.sendMessages(batch);
        }
    }

    private static void publishOne(ServiceBusSenderClient sender, String type, String subject, String id, Instant time) {
        sender.sendMessage(message(type, subject, id, time));
    }

    private static ServiceBusMessage message(String type, String subject, String id, Instant time) {
        ServiceBusMessage message = new ServiceBusMessage(EventPublisher.cloudEvent(id, SOURCE, type, subject,
                time.toString(), null));
        message.setContentType("application/cloudevents+json");
        message.setMessageId(UUID.nameUUIDFromBytes((SOURCE + "\n" + id).getBytes(StandardCharsets.UTF_8)).toString());
        message.setSessionId(subject);
        return message;
    }

    private static long live(LocalWorker local, String prefix) {
        return countOf(local, prefix, view -> view.deletedAt() == null);
    }

    private static long cut(LocalWorker local, String prefix) {
        return countOf(local, prefix, view -> view.deletedAt() != null || view.tokensRevokedAt() != null);
    }

    /** How many of the phase's people ({@code prefix} + n) hold an identity in ACS matching {@code test}. */
    private static long countOf(LocalWorker local, String prefix, Predicate<IdentityView> test) {
        Map<String, IdentityView> byId = new HashMap<>();
        local.emulators.acs().identities().forEach(view -> byId.put(view.id(), view));
        long count = 0;
        for (Map.Entry<String, String> owner : owners(local).entrySet()) {
            String person = owner.getValue();
            if (prefix.isEmpty() || person.startsWith(prefix) && person.length() > prefix.length()
                    && Character.isDigit(person.charAt(prefix.length()))) {
                IdentityView view = byId.get(owner.getKey());
                if (view != null && test.test(view)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static final Map<String, String> OWNERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Identity → person, from the ledger's journal (each create's EFFECT row), cached: identities never move. */
    private static Map<String, String> owners(LocalWorker local) {
        try (Connection sql = DriverManager.getConnection(local.settings.ledger().effectiveUrl(),
                local.settings.ledger().user(), local.settings.ledger().password());
                Statement statement = sql.createStatement();
                ResultSet rows = statement.executeQuery("SELECT acs_user_id, subject FROM audit WHERE outcome = 'EFFECT'"
                        + " AND event_type = 'operation.create'")) {
            while (rows.next()) {
                OWNERS.putIfAbsent(rows.getString(1), rows.getString(2));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return OWNERS;
    }

    private static Instant revokedAt(LocalWorker local, String person) {
        return viewOf(local, person).map(IdentityView::tokensRevokedAt).orElse(null);
    }

    private static Instant cutAt(LocalWorker local, String person) {
        IdentityView view = viewOf(local, person).orElseThrow();
        Instant revoked = view.tokensRevokedAt();
        Instant deleted = view.deletedAt();
        return revoked == null ? deleted : deleted == null || revoked.isBefore(deleted) ? revoked : deleted;
    }

    private static java.util.Optional<IdentityView> viewOf(LocalWorker local, String person) {
        String id = owners(local).entrySet().stream().filter(e -> e.getValue().equals(person)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        return local.emulators.acs().identities().stream().filter(view -> view.id().equals(id)).findFirst();
    }

    /** Events in the handled-event log whose id starts with {@code idPrefix} + "-". */
    private static long handled(LocalWorker local, String idPrefix) {
        try (Connection sql = DriverManager.getConnection(local.settings.ledger().effectiveUrl(),
                local.settings.ledger().user(), local.settings.ledger().password());
                var statement = sql.prepareStatement("SELECT count(*) FROM handled_event WHERE event_id LIKE ?")) {
            statement.setString(1, idPrefix + "-%");
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long throttled(LocalWorker local) {
        var calls = local.emulators.acs().callCounts();
        return java.util.Arrays.stream(org.acslifecycle.emulators.acs.Operation.values())
                .mapToLong(op -> calls.count(op, 429)).sum();
    }

    private static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * percentile / 100.0) - 1));
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f", value);
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitUntil(Check check, Duration timeout, LocalWorker local) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Instant nextReport = Instant.now().plusSeconds(15);
        while (!check.done()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("benchmark phase did not finish within " + timeout);
            }
            if (Instant.now().isAfter(nextReport)) {
                System.out.printf("  ... ACS calls so far %d, journal done %s%n",
                        local.emulators.acs().callCounts().total(), local.journalDone());
                nextReport = Instant.now().plusSeconds(15);
            }
            Thread.sleep(200);
        }
    }
}
