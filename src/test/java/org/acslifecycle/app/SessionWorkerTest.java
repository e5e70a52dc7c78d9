package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
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
 * Session mode ({@code servicebus.sessions=true}) on the topology's session-enabled queue,
 * {@code lifecycle-events-sessions}: one person's events reach the worker one at a time and in order, so none
 * of a person's events published in time order is ever stale. {@link NonSessionWorkerTest} is the default mode.
 */
class SessionWorkerTest {

    static final String SESSION_QUEUE = "lifecycle-events-sessions";
    private static final List<String> LIFE = List.of("user.onboarded", "user.suspended", "user.reinstated", "user.offboarded");

    @TempDir
    Path directory;

    private LocalWorker local;
    private final Instant base = Instant.now().minusSeconds(3600);

    @BeforeEach
    void start() {
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(),
                Map.of("servicebus.sessions", "true", "servicebus.queue", SESSION_QUEUE, "servicebus.concurrency", "8"));
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void eachPersonsEventsAreAppliedOneAfterAnotherInTheOrderPublished() {
        // A person's events back to back: without sessions, free slots would take them all at once.
        for (int person = 0; person < 6; person++) {
            for (int step = 0; step < LIFE.size(); step++) {
                local.publisher.publish(EventPublisher.cloudEvent("s" + person + "-" + step, "/hr/test", LIFE.get(step),
                        "s" + person, base.plusSeconds(60L * step).toString(), null));
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int person = 0; person < 6; person++) {
                if (!state("s" + person).equals(Optional.of(PersonState.DELETED))) {
                    return false;
                }
            }
            return true;
        });
        for (int person = 0; person < 6; person++) {
            // The events' rows only: the executor's EFFECT rows come whenever ACS answers (a suspension no longer
            // cancels the onboarding's create, as onboarded-then-suspended holds an identity).
            List<AuditEntry> handled = local.eventRows("s" + person);
            // Without sessions a later event may be handled first, and the earlier one is then recorded STALE.
            assertThat(handled).as("s%d", person).extracting(AuditEntry::outcome).containsOnly(AuditEntry.Outcome.APPLIED);
            assertThat(handled).as("s%d", person).extracting(row -> row.eventType().orElseThrow())
                    .containsExactlyElementsOf(LIFE);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(local.emulators.acs().identities())
                .as("no live identity left").allMatch(identity -> identity.deletedAt() != null));
    }

    private Optional<PersonState> state(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record).map(PersonRecord::state);
    }
}
