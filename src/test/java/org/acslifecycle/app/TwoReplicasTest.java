package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.acslifecycle.core.Operation;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.ledger.PostgresDatabase;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two worker processes on one PostgreSQL ledger, as production's replicas run (DESIGN §4): each is configured with
 * the resource's whole quota, and the budget they share through the ledger keeps the two together under it. A mass
 * offboarding paced by that quota meets no 429, and no operation is run twice.
 */
class TwoReplicasTest {

    private static final int PEOPLE = 240;
    /** The quota window scaled to 15 s: 500 deletes or revokes and 1000 creates per 15 s, so the quota binds. */
    private static final double WINDOW_FACTOR = 0.5;
    private static final Path LOGS = Path.of("target", "two-replicas");

    private EmbeddedEmulators emulators;
    private LedgerSettings ledgerSettings;
    private JdbcLedger ledger;
    private ServiceBusSenderClient sender;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        emulators = EmbeddedEmulators.start(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0,
                AcsEmulatorConfig.defaults().withQuotaWindowFactor(WINDOW_FACTOR));
        ledgerSettings = PostgresDatabase.freshSchema(10);
        ledger = JdbcLedger.open(ledgerSettings, Clock.systemUTC());
        sender = ServiceBusClients.builder(new org.acslifecycle.messaging.ServiceBusSettings(
                        java.util.Optional.of(emulators.serviceBus().connectionString()), java.util.Optional.empty(),
                        "lifecycle-events", "lifecycle-outcomes", false, 1, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(30), false))
                .sender().queueName("lifecycle-events").buildClient();
    }

    @AfterEach
    void stop() throws Exception {
        for (WorkerProcess worker : workers) {
            if (worker.isAlive()) {
                worker.kill();
            }
        }
        if (sender != null) {
            sender.close();
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
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoReplicasCutOffAMassOffboardingTogetherUnderTheQuotaWithNoOperationRunTwice() throws Exception {
        Path config = writeWorkerConfig();
        workers.add(WorkerProcess.start(config, LOGS, "replica-a"));
        workers.add(WorkerProcess.start(config, LOGS, "replica-b"));
        EventPublisher publisher = new EventPublisher(sender);
        Instant hired = Instant.now().minus(Duration.ofDays(30));
        for (int i = 0; i < PEOPLE; i++) {
            publisher.publish(EventPublisher.cloudEvent("hire-" + i, "/hr/test", "user.onboarded", "p" + i,
                    hired.toString(), null));
        }
        awaitOrFail(Duration.ofMinutes(2), "every joiner's identity", () -> live() == PEOPLE && journalDone());
        emulators.acs().resetCallCounts();

        Instant left = Instant.now();
        for (int i = 0; i < PEOPLE; i++) {
            publisher.publish(EventPublisher.cloudEvent("leave-" + i, "/hr/test", "user.offboarded", "p" + i,
                    left.toString(), null));
        }
        awaitOrFail(Duration.ofMinutes(2), "every leaver's identity deleted", () -> live() == 0 && journalDone());

        var calls = emulators.acs().callCounts();
        long throttled = java.util.Arrays.stream(org.acslifecycle.emulators.acs.Operation.values())
                .mapToLong(op -> calls.count(op, 429)).sum();
        assertThat(throttled).as("429s from ACS: the two replicas together stayed under the quota").isZero();
        assertThat(calls.count(org.acslifecycle.emulators.acs.Operation.DELETE_IDENTITY))
                .as("one delete per leaver, none twice").isEqualTo(PEOPLE);
        List<Operation> operations = ledger.operations(Set.of(Operation.Status.DONE), 100_000).stream()
                .filter(op -> op.cause().id().startsWith("leave-")).toList();
        long revokes = calls.count(org.acslifecycle.emulators.acs.Operation.REVOKE_TOKENS);
        // A cut-off is one delete, or (delete budget full) a revoke and later a delete on the same operation. The
        // delete step counts its attempts afresh: one each, so a second replica deleting again would show here; and
        // every ACS call the executor made left one EFFECT row, one or two per leaver, so would a second revoke.
        assertThat(operations).hasSize(PEOPLE);
        assertThat(operations).allSatisfy(op -> assertThat(op.attempts()).as("%s's delete attempts", op.externalId())
                .isEqualTo(1));
        List<Long> effects = new java.util.ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            String cause = "leave-" + i;
            effects.add(ledger.history("p" + i).orElseThrow().audit().stream()
                    .filter(row -> row.outcome() == org.acslifecycle.core.AuditEntry.Outcome.EFFECT)
                    .filter(row -> row.eventId().equals(java.util.Optional.of(cause))).count());
        }
        assertThat(effects).as("ACS calls acknowledged per leaver").allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
        assertThat(effects.stream().mapToLong(Long::longValue).sum()).as("acknowledged calls = ACS calls made")
                .isEqualTo(revokes + PEOPLE);
        for (WorkerProcess worker : workers) {
            assertThat(Files.readString(LOGS.resolve(worker.name() + ".err"))).as("%s did part of the work", worker)
                    .contains("delete identity for p");
        }
    }

    private long live() {
        return emulators.acs().identities().stream().filter(view -> view.deletedAt() == null).count();
    }

    private boolean journalDone() {
        return ledger.operations(Set.of(Operation.Status.PENDING), 1).isEmpty();
    }

    private Path writeWorkerConfig() {
        // Each replica is told the resource's whole quota; the shared budget divides it between them.
        return WorkerProcess.writeConfig(emulators, ledgerSettings, WorkerProcess.withoutDeletionBreaker(Map.of("ledger.pool-size", "8",
                "acs.pacing.window", "PT" + Math.round(30 * WINDOW_FACTOR) + "S")), LOGS.resolve("worker.properties"));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private void awaitOrFail(Duration limit, String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!check.holds()) {
            for (WorkerProcess worker : workers) {
                if (!worker.isAlive()) {
                    throw new AssertionError(worker + " exited by itself while waiting for " + what + "; see " + LOGS);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up after " + limit + " waiting for " + what + ": live " + live()
                        + "; see " + LOGS);
            }
            Thread.sleep(100);
        }
    }
}
