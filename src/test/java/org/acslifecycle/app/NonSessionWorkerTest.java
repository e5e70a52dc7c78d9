package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default: a queue without sessions. Messages of one person run concurrently, and the ledger's lock keeps
 * them apart. {@link SessionWorkerTest} is the same with sessions.
 */
class NonSessionWorkerTest {

    @TempDir
    Path directory;

    private LocalWorker local;
    private final Instant base = Instant.now().minusSeconds(3600);

    @BeforeEach
    void start() {
        // The project's topology and defaults: lifecycle-events has no sessions, servicebus.sessions=false.
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(),
                Map.of("servicebus.concurrency", "8"));
        assertThat(local.settings.serviceBus().sessions()).isFalse();
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void eventsOfOnePersonHandledConcurrentlyEndInTheStateOfTheLatestAndCreateOneIdentity() {
        for (int copy = 0; copy < 4; copy++) {
            for (int person = 0; person < 5; person++) {
                // Four deliveries of the same onboarding (new MessageIds), and a later offboarding for some.
                local.publisher.publish(EventPublisher.cloudEvent("on-" + person, "/hr/test", "user.onboarded",
                        "n" + person, base.toString(), null), "on-" + person + "-" + copy);
            }
        }
        for (int person = 0; person < 5; person += 2) {
            local.publisher.publish(EventPublisher.cloudEvent("off-" + person, "/hr/test", "user.offboarded",
                    "n" + person, base.plusSeconds(600).toString(), null));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int person = 0; person < 5; person++) {
                Optional<PersonState> expected = Optional.of(person % 2 == 0 ? PersonState.DELETED : PersonState.ACTIVE);
                if (!state("n" + person).equals(expected)) {
                    return false;
                }
            }
            return local.journalDone();
        });
        // Offboarded people may have been created and deleted, or (offboarding first) never created: either way,
        // every live identity belongs to an ACTIVE person and each of those has exactly one.
        assertThat(local.emulators.acs().identities().stream().filter(i -> i.deletedAt() == null))
                .extracting(i -> i.id())
                .containsExactlyInAnyOrder(identity("n1"), identity("n3"));
    }

    private Optional<PersonState> state(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record).map(PersonRecord::state);
    }

    private String identity(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record).flatMap(PersonRecord::acsUserId)
                .orElseThrow();
    }
}
