package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

/** Service Bus → rules → ACS, through the real SDKs against both emulators, on an H2 ledger. */
class WorkerEndToEndTest {

    @TempDir
    Path directory;

    private LocalWorker local;
    private final Instant base = Instant.now().minusSeconds(3600);

    @BeforeEach
    void start() {
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(), Map.of());
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private void publish(String id, String type, String subject, int minute) {
        local.publisher.publish(EventPublisher.cloudEvent(id, "/hr/test", type, subject,
                base.plusSeconds(60L * minute).toString(), "test"));
    }

    private Optional<PersonRecord> record(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record);
    }

    private Optional<IdentityView> acsIdentity(String id) {
        return local.emulators.acs().identities().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    @Test
    void everyEventTypeEndsInTheLedgerAndInAcs() {
        publish("e1", "user.onboarded", "alice", 0);
        publish("e2", "user.onboarded", "bob", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> record("bob").flatMap(PersonRecord::acsUserId).isPresent());
        publish("e3", "user.suspended", "bob", 5);
        publish("e4", "user.offboarded", "alice", 10);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                record("alice").map(PersonRecord::state).equals(Optional.of(PersonState.DELETED))
                        && record("bob").map(PersonRecord::state).equals(Optional.of(PersonState.SUSPENDED))
                        && local.journalDone());
        // Without sessions, alice's offboarding may be recorded before her create ran: then she never had one.
        local.createdIdentities("alice").forEach(aliceIdentity ->
                assertThat(acsIdentity(aliceIdentity).orElseThrow().deletedAt()).as("alice's identity deleted").isNotNull());
        String bobIdentity = record("bob").orElseThrow().acsUserId().orElseThrow();
        assertThat(acsIdentity(bobIdentity).orElseThrow().tokensRevokedAt()).as("bob's tokens revoked").isNotNull();

        publish("e5", "user.reinstated", "bob", 15);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                record("bob").map(PersonRecord::state).equals(Optional.of(PersonState.ACTIVE)) && local.journalDone());
        assertThat(record("bob").orElseThrow().acsUserId()).contains(bobIdentity);
    }

    @Test
    void duplicatesStaleEventsAndARehireEndAsTheRulesSay() {
        byte[] onboarded = EventPublisher.cloudEvent("d1", "/hr/test", "user.onboarded", "erin", base.toString(), null);
        for (int copy = 0; copy < 3; copy++) {
            // New MessageIds, as after Service Bus's duplicate-detection window: only the ledger can tell.
            local.publisher.publish(onboarded, "d1-copy-" + copy);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> local.eventRows("erin").size() == 3 && local.journalDone());
        publish("d2", "user.offboarded", "erin", 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> local.eventRows("erin").size() == 4);
        publish("d3", "user.onboarded", "erin", 5); // late: older than the offboarding, so stale
        await().atMost(Duration.ofSeconds(30)).until(() -> local.eventRows("erin").size() == 5 && local.journalDone());
        String first = local.createdIdentities("erin").get(0);
        assertThat(record("erin").orElseThrow().state()).isEqualTo(PersonState.DELETED);
        assertThat(local.eventRows("erin")).extracting(AuditEntry::outcome)
                .containsExactly(AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.DUPLICATE, AuditEntry.Outcome.DUPLICATE,
                        AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.STALE);

        publish("d4", "user.onboarded", "erin", 20); // re-hire
        await().atMost(Duration.ofSeconds(30)).until(() ->
                record("erin").map(PersonRecord::state).equals(Optional.of(PersonState.ACTIVE)) && local.journalDone());
        String rehired = record("erin").orElseThrow().acsUserId().orElseThrow();
        assertThat(rehired).isNotEqualTo(first);
        assertThat(acsIdentity(first).orElseThrow().deletedAt()).isNotNull();
        assertThat(acsIdentity(rehired).orElseThrow().deletedAt()).isNull();
        assertThat(local.emulators.acs().identities()).hasSize(2);
    }

    @Test
    void aPoisonMessageIsDeadLetteredWithItsReasonAndTheGoodEventsAroundItApply() throws Exception {
        publish("g1", "user.onboarded", "carol", 0);
        local.publisher.publish("not json at all".getBytes(StandardCharsets.UTF_8), "poison-1");
        publish("g2", "user.promoted", "carol", 1);
        publish("g3", "user.suspended", "carol", 2);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                local.emulators.serviceBus().deadLetters("lifecycle-events").size() == 2
                        && record("carol").map(PersonRecord::state).equals(Optional.of(PersonState.SUSPENDED)));
        var deadLetters = local.emulators.serviceBus().deadLetters("lifecycle-events");
        assertThat(deadLetters).extracting(m -> m.deadLetterReason())
                .containsExactlyInAnyOrder("InvalidEvent", "UnsupportedEventType");
        assertThat(local.worker.ledger().history("carol").orElseThrow().audit()).extracting(AuditEntry::outcome)
                .contains(AuditEntry.Outcome.REJECTED);
    }

    @Test
    void theHealthEndpointsAnswer() throws Exception {
        int port = local.worker.healthPort();
        var http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(http, port, "/health/ready").statusCode() == 200);
        assertThat(get(http, port, "/health/live").statusCode()).isEqualTo(200);
        publish("m1", "user.onboarded", "dora", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> record("dora").isPresent() && local.journalDone());
        assertThat(get(http, port, "/metrics").body()).contains("acs_lifecycle_events_total")
                .contains("acs_lifecycle_acs_calls_seconds").contains("jvm_memory_used_bytes")
                .contains("process_cpu_usage").contains("acs_lifecycle_intake_paused");
    }

    private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, int port, String path)
            throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
