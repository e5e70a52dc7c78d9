package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A termination recorded ahead of its date, through the real SDKs on the emulators: nothing happens before its
 * effective time, access is cut within seconds after it, and {@code ledger history} shows it while it waits.
 */
class EffectiveDatingEndToEndTest {

    @TempDir
    Path directory;

    private CliOnEmulators cli;

    @BeforeEach
    void start() throws Exception {
        cli = new CliOnEmulators(directory);
        cli.startWorker();
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private Optional<IdentityView> identity(String id) {
        return cli.emulators.acs().identities().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    @Test
    void aFutureDatedOffboardingWaitsForItsEffectiveTimeThenCutsAccessWithinSeconds() {
        cli.publish("join", "user.onboarded", "dana", Instant.now().minusSeconds(60).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.createdIdentities("dana").size() == 1 && cli.journalDone());
        String id = cli.createdIdentities("dana").get(0);
        Instant effective = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);

        cli.publisher.publish(EventPublisher.cloudEvent("leave", "/hr/test", "user.offboarded", "dana",
                Instant.now().toString(), "end of contract", effective.toString()));
        await().atMost(Duration.ofSeconds(5)).until(() -> cli.outcomesOf("dana", "leave")
                .contains(AuditEntry.Outcome.SCHEDULED));

        assertThat(cli.run("ledger", "history", "dana")).isZero();
        assertThat(cli.out).contains("Pending change: user.offboarded").contains("takes effect at " + effective);
        assertThat(cli.record("dana").map(PersonRecord::state)).as("before its effective time").contains(PersonState.ACTIVE);
        assertThat(identity(id).map(IdentityView::tokensRevokedAt)).as("nothing done before its effective time").isEmpty();

        await().atMost(Duration.ofSeconds(20)).until(() -> identity(id).map(IdentityView::deletedAt).isPresent());
        Instant cut = identity(id).orElseThrow().deletedAt();
        assertThat(cut).as("never before the effective time").isAfterOrEqualTo(effective);
        assertThat(Duration.between(effective, cut)).as("access cut within seconds after it")
                .isLessThan(Duration.ofSeconds(5));
        await("the ledger records the deletion ACS acknowledged").atMost(Duration.ofSeconds(10))
                .until(() -> cli.record("dana").map(PersonRecord::state).equals(Optional.of(PersonState.DELETED)));
    }
}
