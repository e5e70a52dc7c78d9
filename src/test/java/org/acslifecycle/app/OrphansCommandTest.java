package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.IdentityView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orphans delete} on the CLI, against both emulators and a running worker. */
class OrphansCommandTest {

    @TempDir
    Path directory;

    private CliOnEmulators cli;
    private Worker worker;
    private final Instant base = Instant.now().minus(Duration.ofHours(1));

    @BeforeEach
    void emulatorsAndWorker() throws Exception {
        cli = new CliOnEmulators(directory);
        worker = cli.startWorker();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void aCreateCancelledWhileItsAnswersWereLostLeavesAnIdentityThatOrphansDeleteFindsAndDeletes() {
        AcsIdentityEmulator acs = cli.emulators.acs();
        // Every create takes effect in ACS, but no answer reaches the worker: the call stays unanswered.
        acs.faults().loseNextAnswers(1_000);
        cli.publish("hire-alice", "user.onboarded", "alice", base.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> !acs.identities().isEmpty()
                && create("alice").map(Operation::attempts).orElse(0) > 0);
        cli.publish("fire-alice", "user.offboarded", "alice", base.plusSeconds(60).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> create("alice").map(Operation::status)
                .equals(Optional.of(Operation.Status.CANCELLED)));
        acs.faults().clear();
        IdentityView orphan = acs.identities().get(0);
        assertThat(acs.identities()).as("the worker's attempts all repeated one request").hasSize(1);
        assertThat(cli.record("alice").flatMap(r -> r.acsUserId())).as("the ledger never heard of it").isEmpty();

        assertThat(cli.run("ledger", "intents")).isZero();
        assertThat(cli.out).contains("POSSIBLE ORPHAN", "orphans delete " + create("alice").orElseThrow().id())
                .contains("request " + create("alice").orElseThrow().createRequest().orElseThrow().requestId());

        assertThat(cli.run("orphans", "delete", "--all", "--operator", "ops-jane", "--reason", "ticket 9")).isZero();

        assertThat(cli.out).contains("deleted orphan " + orphan.id() + " (alice)");
        assertThat(acs.identities()).singleElement().satisfies(v -> assertThat(v.deletedAt()).isNotNull());
        assertThat(cli.audit("alice")).last().satisfies(row -> {
            assertThat(row.eventType()).hasValue("operator.orphan-delete");
            assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.OPERATOR);
            assertThat(row.actor()).isEqualTo("ops-jane");
            assertThat(row.acsUserId()).hasValue(orphan.id());
            assertThat(row.reason().orElseThrow()).contains("ticket 9");
        });
        assertThat(cli.run("ledger", "intents")).isZero();
        assertThat(cli.out).contains("No journal create may have left an orphan.");
    }

    @Test
    void withNeitherAllNorAnIdTheCommandIsAUsageError() {
        assertThat(cli.run("orphans", "delete", "--operator", "ops-jane")).isEqualTo(2);
        assertThat(cli.err).contains("give either --all or OPERATION_IDs");
    }

    @Test
    void anUnknownOperationIsNotFound() {
        assertThat(cli.run("orphans", "delete", "999", "--operator", "ops-jane")).isEqualTo(OpsCommand.NOT_FOUND);
        assertThat(cli.err).contains("no create operation 999");
    }

    private Optional<Operation> create(String subject) {
        return worker.ledger().history(subject).map(PersonHistory::operations).orElse(java.util.List.of()).stream()
                .filter(op -> op.kind() == Operation.Kind.CREATE).findFirst();
    }
}
