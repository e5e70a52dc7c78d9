package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.drills.LifecycleLoad;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.FaultPlan;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.ledger.PostgresDatabase;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker in a JVM of its own is killed with SIGKILL several times while it works through a few thousand
 * events; after restarts every person ends as the rules say, nobody has two identities, nothing is lost.
 *
 * <p>The emulators and the PostgreSQL ledger live in this JVM (or beside it), so they outlive every worker, as
 * Service Bus, ACS and the database outlive a crashed replica. The seed is printed; rerun one with
 * {@code -Dcrash.seed=N}.
 */
class CrashRecoveryTest {

    /**
     * Session mode, on the topology's session-enabled queue: the oracle ({@link LifecycleLoad}) applies each
     * person's events in publish order, and counts the identities ACS must have made exactly. Without sessions a
     * person's events may be handled out of order; the end states are the same, but a skipped intermediate state
     * makes fewer creates, so the exact count would need an order-free oracle.
     */
    private static final String QUEUE = "lifecycle-events-sessions";
    private static final int PEOPLE = 350;
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(3);
    private static final Path LOGS = Path.of("target", "crash-recovery");

    private final long seed = Long.getLong("crash.seed", System.nanoTime());
    private final Random random = new Random(seed);

    private EmbeddedEmulators emulators;
    private LedgerSettings ledgerSettings;
    private JdbcLedger ledger;
    private Connection sql;
    private ServiceBusSenderClient sender;
    private Path configFile;
    private WorkerProcess worker;
    private final AtomicReference<Throwable> publishFailure = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        // ACS answers after 20-120 ms, as the real service roughly does, so a kill often lands while a call is in
        // flight; the emulator still carries the call out, as ACS would: that is how orphans come about.
        // The quota window is shrunk (limits stay real): throttling would only slow the test down.
        AcsEmulatorConfig defaults = AcsEmulatorConfig.defaults();
        AcsEmulatorConfig acs = new AcsEmulatorConfig(0, null, defaults.resourceId(), defaults.tls(), 0.01,
                defaults.maxDateSkew(), defaults.bearerMode(), null, defaults.unknownIdentityBehaviour(),
                FaultPlan.none().withLatency(Duration.ofMillis(20), Duration.ofMillis(120)), defaults.clock(), seed);
        emulators = EmbeddedEmulators.start(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0, acs);
        ledgerSettings = PostgresDatabase.freshSchema(10);
        ledger = JdbcLedger.open(ledgerSettings, Clock.systemUTC()); // migrates the fresh schema before any worker runs
        sql = DriverManager.getConnection(ledgerSettings.jdbcUrl(), ledgerSettings.user(), ledgerSettings.password());
        Files.createDirectories(LOGS);
        configFile = writeWorkerConfig();
        ServiceBusSettings bus = WorkerSettings.from(org.acslifecycle.app.config.ConfigSource.resolve(configFile, Map.of()))
                .serviceBus();
        sender = ServiceBusClients.builder(bus).sender().queueName(QUEUE).buildClient();
    }

    @AfterEach
    void stop() throws Exception {
        if (worker != null && worker.isAlive()) {
            worker.kill();
        }
        if (sender != null) {
            sender.close();
        }
        if (sql != null) {
            sql.close();
        }
        if (ledger != null) {
            ledger.close();
            PostgresDatabase.drop(ledgerSettings);
        }
        if (emulators != null) {
            emulators.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aWorkerKilledRepeatedlyMidLoadLeavesEveryoneRightWithOneIdentityAndNoEventLost() throws Exception {
        long started = System.nanoTime();
        System.out.printf("CrashRecoveryTest: seed=%d (rerun with -Dcrash.seed=%d)%n", seed, seed);
        LifecycleLoad load = LifecycleLoad.generate(seed, PEOPLE, 3, 10, Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30)));
        int total = load.events.size();

        worker = WorkerProcess.start(configFile, LOGS, "worker-0");
        Thread publishing = publishInBackground(load);

        int kills = 3 + random.nextInt(3);
        for (int k = 1; k <= kills; k++) {
            // Spread the kills over the load, each at a random point within its share.
            int threshold = (int) (total * 0.9 * (k - 0.8 + 0.6 * random.nextDouble()) / (kills + 1));
            awaitOrFail(Duration.ofMinutes(2), "worker to handle " + threshold + " events", () -> handledCount() >= threshold);
            Thread.sleep(random.nextInt(300)); // not right at the poll: somewhere inside an ACS call or a commit
            int handledAtKill = handledCount();
            worker.kill();
            assertThat(worker.exitValue()).as("SIGKILL's exit status, 128 + 9").isEqualTo(137);
            System.out.printf("CrashRecoveryTest: killed %s at %d of %d events handled%n", worker, handledAtKill, total);
            worker = WorkerProcess.start(configFile, LOGS, "worker-" + k);
        }

        publishing.join(Duration.ofMinutes(2).toMillis());
        assertThat(publishing.isAlive()).as("publisher finished").isFalse();
        assertThat(publishFailure.get()).as("publishing failed").isNull();
        awaitOrFail(DRAIN_LIMIT, "the queue to drain, every event to be handled and the journal to be done",
                () -> handledCount() == total && queueSize() == 0 && ledger.operations(
                        Set.of(org.acslifecycle.core.Operation.Status.PENDING), 1).isEmpty());
        int exit = worker.stop();
        assertThat(exit).as("exit status after SIGTERM (0, or 143 when the JVM reports the signal)").isIn(0, 143);

        int orphans = assertTheOutcome(load);
        System.out.printf("CrashRecoveryTest: events=%d people=%d kills=%d orphans=%d seconds=%.1f seed=%d"
                + " (crash traces: %s)%n", total, PEOPLE, kills, orphans, (System.nanoTime() - started) / 1e9, seed,
                crashTraces());
    }

    /** Checks every promise of the exactly-once design against the oracle; returns how many orphans ACS holds. */
    private int assertTheOutcome(LifecycleLoad load) throws Exception {
        SoftAssertions softly = new SoftAssertions();

        // Nothing lost: every event is in the handled-event log, and nothing is left on the queue or dead-lettered.
        Set<String> handled = handledEventIds();
        Set<String> published = load.events.stream().map(LifecycleLoad.Event::id).collect(Collectors.toSet());
        softly.assertThat(handled).as("handled-event log").containsExactlyInAnyOrderElementsOf(published);
        softly.assertThat(emulators.serviceBus().messageCount(QUEUE)).as("messages left on the queue").isZero();
        softly.assertThat(emulators.serviceBus().deadLetters(QUEUE)).as("dead letters").isEmpty();

        // Everyone is as the rules say, with an identity exactly when the rules give them one.
        Map<String, IdentityView> acs = emulators.acs().identities().stream()
                .collect(Collectors.toMap(IdentityView::id, i -> i));
        Map<String, String> ownerOfIdentity = new HashMap<>();
        for (var entry : load.expected.entrySet()) {
            String person = entry.getKey();
            LifecycleLoad.Expected expected = entry.getValue();
            PersonHistory history = ledger.history(person).orElseThrow();
            PersonRecord record = history.record().orElseThrow();
            softly.assertThat(record.state()).as("state of %s", person).isEqualTo(expected.state());
            if (expected.state() != PersonState.SUSPENDED) {
                // Not checked for SUSPENDED people: whether they hold an identity can depend on when their create ran
                // relative to kills and later events; what matters for them, holding no token, is checked below.
                // Everyone else holds one exactly when the rules say.
                softly.assertThat(record.acsUserId().isPresent()).as("%s has an identity", person)
                        .isEqualTo(expected.hasIdentity());
            }
            record.acsUserId().ifPresent(id -> {
                String other = ownerOfIdentity.put(id, person);
                softly.assertThat(other).as("another person with %s's identity", person).isNull();
                softly.assertThat(acs.get(id)).as("%s's identity in ACS", person).isNotNull();
                softly.assertThat(Optional.ofNullable(acs.get(id)).map(IdentityView::deletedAt))
                        .as("%s's identity deleted in ACS", person).isEmpty();
                if (expected.state() == PersonState.SUSPENDED) {
                    // Suspended with an identity: it holds no token (revoked, or made by a create that was running
                    // when the suspension was recorded, and a new identity has none).
                    softly.assertThat(Optional.ofNullable(acs.get(id))
                                    .filter(view -> view.tokensRevokedAt() != null || view.tokensIssued() == 0))
                            .as("%s's identity holds no token in ACS", person).isPresent();
                }
            });
            // Every identity the ledger ever tied to this person, other than the current one, is deleted.
            Set<String> everTheirs = new HashSet<>();
            history.audit().forEach(a -> a.acsUserId().ifPresent(everTheirs::add));
            history.intents().forEach(i -> i.acsUserId().ifPresent(everTheirs::add));
            record.acsUserId().ifPresent(everTheirs::remove);
            for (String id : everTheirs) {
                softly.assertThat(acs.containsKey(id) && acs.get(id).deletedAt() == null)
                        .as("%s holds a second live identity %s (seed %d; record %s; journal %s; audit %s)", person, id,
                                seed, record, journalOf(person), history.audit()).isFalse();
            }
        }

        // Every other live identity is an orphan the ledger lists as possible (a create whose result was lost).
        List<IdentityView> orphans = acs.values().stream()
                .filter(i -> i.deletedAt() == null && !ownerOfIdentity.containsKey(i.id()))
                .sorted(Comparator.comparing(IdentityView::createdAt)).toList();
        List<org.acslifecycle.core.Operation> possibleOrphans = ledger.possibleOrphans();
        List<IdentityView> unexplained = unexplainedOrphans(orphans, possibleOrphans);
        softly.assertThat(unexplained).as("live identities nobody owns and no possible-orphan create explains (of %d"
                + " orphans, %d possible)", orphans.size(), possibleOrphans.size()).isEmpty();
        // And ACS made no identity beyond those the ledger recorded and those orphans: no second identity anywhere.
        Set<String> recorded = new HashSet<>();
        for (String person : load.expected.keySet()) {
            ledger.history(person).orElseThrow().audit().stream()
                    .filter(row -> row.outcome() == AuditEntry.Outcome.EFFECT)
                    .filter(row -> row.eventType().equals(Optional.of("operation.create")))
                    .forEach(row -> row.acsUserId().ifPresent(recorded::add));
        }
        softly.assertThat(acs.size()).as("identities ever created in ACS (recorded by the ledger: %d, orphans: %d)",
                recorded.size(), orphans.size()).isEqualTo(recorded.size() + orphans.size());
        softly.assertThat(recorded.size()).as("creates: at most the rules' %d (a create cancelled by a suspension"
                + " recorded before it ran is not made)", load.identitiesCreated())
                .isLessThanOrEqualTo(load.identitiesCreated());

        // Nothing given up on: a crash never turns into a failed operation.
        softly.assertThat(ledger.operations(Set.of(org.acslifecycle.core.Operation.Status.FAILED,
                org.acslifecycle.core.Operation.Status.DROPPED), 100)).as("failed or dropped operations").isEmpty();

        softly.assertAll();
        return orphans.size();
    }

    private List<org.acslifecycle.core.Operation> journalOf(String person) {
        return ledger.operations(java.util.EnumSet.allOf(org.acslifecycle.core.Operation.Status.class), 100_000)
                .stream().filter(op -> op.externalId().equals(person)).toList();
    }

    /**
     * Matches each orphan to an attempt of a possible-orphan create that was recorded before ACS made it; each such
     * create explains as many orphans as it had attempts whose answer was lost. What is left is unexplained.
     */
    private static List<IdentityView> unexplainedOrphans(List<IdentityView> orphans,
            List<org.acslifecycle.core.Operation> possible) {
        Map<Long, Integer> lostAnswers = new HashMap<>();
        possible.forEach(op -> lostAnswers.put(op.id(),
                op.attempts() - (op.status() == org.acslifecycle.core.Operation.Status.DONE ? 1 : 0)));
        List<IdentityView> unexplained = new ArrayList<>();
        for (IdentityView orphan : orphans) {
            Optional<org.acslifecycle.core.Operation> match = possible.stream()
                    .filter(op -> lostAnswers.get(op.id()) > 0)
                    .filter(op -> !orphan.createdAt().isBefore(op.createdAt().minusSeconds(1)))
                    .min(Comparator.comparing(org.acslifecycle.core.Operation::createdAt));
            match.ifPresentOrElse(op -> lostAnswers.merge(op.id(), -1, Integer::sum), () -> unexplained.add(orphan));
        }
        return unexplained;
    }

    private Thread publishInBackground(LifecycleLoad load) {
        EventPublisher publisher = new EventPublisher(sender);
        Thread thread = new Thread(() -> {
            for (LifecycleLoad.Event e : load.events) {
                publisher.publish(EventPublisher.cloudEvent(e.id(), LifecycleLoad.SOURCE, e.type().cloudEventType(),
                        e.subject(), e.time().toString(), "crash test"));
            }
        }, "crash-test-publisher");
        thread.setUncaughtExceptionHandler((t, e) -> publishFailure.set(e));
        thread.start();
        return thread;
    }

    /** The worker's configuration: the local defaults, pointed at this test's emulators and PostgreSQL schema. */
    private Path writeWorkerConfig() {
        return WorkerProcess.writeConfig(emulators, ledgerSettings, WorkerProcess.withoutDeletionBreaker(Map.of(
                "servicebus.sessions", "true",
                "servicebus.queue", QUEUE,
                "servicebus.concurrency", "8",
                "retry.delays", "PT1S,PT2S,PT4S")), LOGS.resolve("worker.properties"));
    }

    private int handledCount() throws SQLException {
        try (PreparedStatement count = sql.prepareStatement("SELECT count(*) FROM handled_event");
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private Set<String> handledEventIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement select = sql.prepareStatement("SELECT event_id FROM handled_event WHERE event_source = ?")) {
            select.setString(1, LifecycleLoad.SOURCE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    /**
     * What the kills left for the restarts to sort out, to show where they landed: events redelivered after their
     * commit (DUPLICATE audit rows) and intents by status (ABANDONED: an ACS call cut off and redone).
     */
    private String crashTraces() throws SQLException {
        StringBuilder traces = new StringBuilder();
        try (PreparedStatement select = sql.prepareStatement(
                "SELECT 'audit ' || outcome, count(*) FROM audit WHERE outcome = 'DUPLICATE' GROUP BY outcome"
                        + " UNION ALL SELECT 'intent ' || action || ' ' || status, count(*) FROM intent"
                        + " WHERE status <> 'COMPLETED' GROUP BY action, status ORDER BY 1");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                traces.append(traces.isEmpty() ? "" : ", ").append(rows.getString(1)).append('=').append(rows.getInt(2));
            }
        }
        return traces.isEmpty() ? "none" : traces.toString();
    }

    private int queueSize() throws Exception {
        return emulators.serviceBus().messageCount(QUEUE);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until {@code check} holds; fails early if the worker died on its own, late if time runs out. */
    private void awaitOrFail(Duration limit, String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!check.holds()) {
            if (!worker.isAlive()) {
                throw new AssertionError("worker " + worker + " exited by itself (status " + worker.exitValue()
                        + ") while waiting for " + what + "; see " + LOGS);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up after " + limit + " waiting for " + what + ": handled "
                        + handledCount() + ", queue " + queueSize() + "; see " + LOGS);
            }
            Thread.sleep(50);
        }
    }
}
