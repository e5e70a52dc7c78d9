package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's reproduction through Service Bus, the worker and ACS (real SDKs, both emulators, H2): a "nothing"
 * event that arrived first no longer hides an older offboarding that arrives after it (DESIGN §3, convergence).
 */
class ConvergenceEndToEndTest {

    @TempDir
    Path directory;

    private LocalWorker local;
    /** Stands for Jan 6 of the issue: the dates keep the spacing, in the past of now. */
    private final Instant january6 = Instant.now().minus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void start() {
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(), Map.of());
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private void publish(String id, String type, Instant time) {
        local.publisher.publish(EventPublisher.cloudEvent(id, "/hr/test", type, "frank", time.toString(), "issue 10"));
    }

    private Optional<PersonRecord> record() {
        return local.worker.ledger().history("frank").flatMap(PersonHistory::record);
    }

    @Test
    void aLateOffboardingAfterALaterNothingEventEndsDeletedAndTheLeaversIdentityIsGone() {
        publish("join", "user.onboarded", january6);
        await().atMost(Duration.ofSeconds(30)).until(() -> local.eventRows("frank").size() == 1 && local.journalDone());
        String identity = record().orElseThrow().acsUserId().orElseThrow();
        // Feb 18: "reinstated" while ACTIVE is a nothing cell; it arrives before the older offboarding.
        publish("back", "user.reinstated", january6.plus(43, ChronoUnit.DAYS));
        await().atMost(Duration.ofSeconds(30)).until(() -> local.eventRows("frank").size() == 2);

        publish("left", "user.offboarded", january6.plus(18, ChronoUnit.DAYS)); // Jan 24, late
        await().atMost(Duration.ofSeconds(30)).until(() -> local.eventRows("frank").size() == 3 && local.journalDone());

        assertThat(record().orElseThrow().state()).isEqualTo(PersonState.DELETED);
        assertThat(record().orElseThrow().acsUserId()).isEmpty();
        assertThat(local.eventRows("frank")).extracting(AuditEntry::outcome).containsExactly(
                AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.APPLIED_LATE);
        IdentityView inAcs = local.emulators.acs().identities().stream().filter(i -> i.id().equals(identity))
                .findFirst().orElseThrow();
        assertThat(inAcs.deletedAt()).as("the leaver's identity is deleted in ACS").isNotNull();
        assertThat(local.emulators.acs().identities()).filteredOn(i -> i.deletedAt() == null).isEmpty();
    }
}
