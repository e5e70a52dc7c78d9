package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.SubQueue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.messaging.DeadLetterQueue;
import org.acslifecycle.messaging.MessageIds;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.servicebus.InspectedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dlq} against the embedded emulators through the real SDK, with a worker on the same queue and ledger. */
class DlqCommandTest {

    @TempDir
    Path directory;

    private CliOnEmulators cli;
    private final Instant base = Instant.now().minusSeconds(3600);
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        cli = new CliOnEmulators(directory);
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private String at(int minute) {
        return base.plusSeconds(60L * minute).toString();
    }

    private long onlyDeadLetter() throws Exception {
        List<InspectedMessage> deadLetters = cli.deadLetters();
        assertThat(deadLetters).hasSize(1);
        return deadLetters.get(0).sequenceNumber();
    }

    /** A CloudEvent with no type: the worker dead-letters it as InvalidEvent. */
    private static final String POISON = "{\"specversion\":\"1.0\",\"id\":\"p-1\",\"source\":\"/hr/test\","
            + "\"subject\":\"mallory\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"note\":\"BODY-MARKER\"}}";

    @Test
    void aPoisonMessageIsListedWithItsReasonAndShownInFull() throws Exception {
        cli.startWorker();
        cli.publisher.publish(POISON.getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.deadLetters().size() == 1);
        InspectedMessage stored = cli.deadLetters().get(0);

        assertThat(cli.run("dlq", "list")).isZero();
        assertThat(cli.out).contains("#" + stored.sequenceNumber(), "message " + MessageIds.of("/hr/test", "p-1"), "session mallory",
                stored.deadLetterReason() + ": ", "event id p-1", "acs-lifecycle-worker-version=")
                .doesNotContain("BODY-MARKER");
        assertThat(stored.deadLetterReason()).isEqualTo("InvalidEvent");

        assertThat(cli.run("dlq", "list", "--json")).isZero();
        JsonNode listed = json.readTree(cli.out).get(0);
        assertThat(listed.get("sequenceNumber").asLong()).isEqualTo(stored.sequenceNumber());
        assertThat(listed.get("reason").asText()).isEqualTo("InvalidEvent");
        assertThat(listed.get("description").asText()).isNotBlank();
        assertThat(listed.get("details").has("acs-lifecycle-rule")).isTrue();
        assertThat(listed.get("event").get("subject").asText()).isEqualTo("mallory");

        assertThat(cli.run("dlq", "show", String.valueOf(stored.sequenceNumber()))).isZero();
        assertThat(cli.out).contains("InvalidEvent", "body (json", "BODY-MARKER", "content type application/cloudevents+json");
        assertThat(cli.run("dlq", "show", String.valueOf(stored.sequenceNumber()), "--json")).isZero();
        assertThat(json.readTree(cli.out).get("body").get("text").asText()).isEqualTo(POISON);

        assertThat(cli.deadLetters()).as("list and show only peek").hasSize(1);
        assertThat(cli.run("dlq", "show", "999999")).isEqualTo(DlqCommand.NOT_FOUND);
    }

    @Test
    void aBodyThatIsNotJsonIsShownAsBase64() throws Exception {
        cli.startWorker();
        cli.publisher.publish(new byte[] {(byte) 0xff, 0x00, 0x1b, '['}, "binary-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.deadLetters().size() == 1);

        assertThat(cli.run("dlq", "list")).isZero();
        assertThat(cli.out).contains("message binary-1", "body is not a CloudEvent (4 bytes");
        assertThat(cli.run("dlq", "show", String.valueOf(onlyDeadLetter()))).isZero();
        assertThat(cli.out).contains("body (base64, 4 bytes):", "/wAbWw==");
    }

    @Test
    void aReplayedGoodEventIsAppliedExactlyOnceEvenWhenAnEarlierReplayCrashedAfterSending() throws Exception {
        cli.publish("hire-erin", "user.onboarded", "erin", at(0));
        cli.deadLetterNext("erin", "RetriesExhausted", "ACS kept answering 503",
                Map.of("acs-lifecycle-attempts", 6, "acs-lifecycle-last-error", "503 Service Unavailable"));
        long sequenceNumber = onlyDeadLetter();

        // A first replay that crashed between sending its copy and completing the dead letter: the copy is
        // on the queue and the dead letter is still there once the lock goes.
        try (ServiceBusReceiverClient dlq = cli.builder().receiver().queueName(CliOnEmulators.QUEUE)
                .subQueue(SubQueue.DEAD_LETTER_QUEUE).disableAutoComplete().buildClient();
                ServiceBusSenderClient sender = cli.builder().sender().queueName(CliOnEmulators.QUEUE).buildClient()) {
            ServiceBusReceivedMessage deadLetter = dlq.receiveMessages(1, Duration.ofSeconds(10)).iterator().next();
            sender.sendMessage(DeadLetterQueue.replayCopy(deadLetter, "ops-jane", "ACS is back"));
            dlq.abandon(deadLetter);
        }
        InspectedMessage copy = cli.emulators.serviceBus().messages(CliOnEmulators.QUEUE).get(0);
        assertThat(copy.messageId()).isEqualTo(MessageIds.replayCopy(Optional.of(new EventKey("/hr/test", "hire-erin")), "unused", sequenceNumber));
        assertThat(copy.sessionId()).isEqualTo("erin");
        assertThat(copy.applicationProperties()).containsEntry("acs-lifecycle-replayed-by", "ops-jane")
                .containsEntry("acs-lifecycle-replay-reason", "ACS is back")
                .doesNotContainKeys("DeadLetterReason", "DeadLetterErrorDescription", "acs-lifecycle-attempts",
                        "acs-lifecycle-last-error");
        cli.startWorker();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                cli.record("erin").map(PersonRecord::state).equals(Optional.of(PersonState.ACTIVE))
                        && cli.record("erin").flatMap(PersonRecord::acsUserId).isPresent());

        assertThat(cli.run("dlq", "replay", String.valueOf(sequenceNumber), "--reason", "ACS is back",
                "--operator", "ops-jane")).isZero();
        assertThat(cli.out).contains("replayed dead letter " + sequenceNumber + " (RetriesExhausted): sent as message "
                + MessageIds.replayCopy(Optional.of(new EventKey("/hr/test", "hire-erin")), "unused", sequenceNumber));
        assertThat(cli.deadLetters()).isEmpty();

        // A later event applied and the queue empty (a message leaves it only once it is settled, after the
        // ledger recorded it): anything replayed before was handled, or dropped by duplicate detection.
        cli.publish("suspend-erin", "user.suspended", "erin", at(5));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                cli.record("erin").map(PersonRecord::state).equals(Optional.of(PersonState.SUSPENDED))
                        && cli.emulators.serviceBus().messageCount(CliOnEmulators.QUEUE) == 0 && cli.journalDone());

        // ACS work follows intake: the onboarding's create may still be running when the suspension is recorded
        // (it is kept, as onboarded-then-suspended holds an identity).
        await().atMost(Duration.ofSeconds(30)).until(() -> !cli.emulators.acs().identities().isEmpty());
        assertThat(cli.emulators.acs().identities()).as("one identity for erin").hasSize(1);
        assertThat(cli.outcomesOf("erin", "hire-erin")).as("the second copy was dropped by duplicate detection")
                .containsExactly(AuditEntry.Outcome.APPLIED, AuditEntry.Outcome.OPERATOR);
        AuditEntry replay = cli.audit("erin").stream().filter(row -> row.outcome() == AuditEntry.Outcome.OPERATOR)
                .findFirst().orElseThrow();
        assertThat(replay.actor()).isEqualTo("ops-jane");
        assertThat(replay.reason()).contains("replayed dead letter " + sequenceNumber + " (RetriesExhausted): ACS is back");
        assertThat(replay.eventSource()).contains("/hr/test");
        assertThat(replay.eventType()).contains("user.onboarded");
    }

    @Test
    void theSameEventDeadLetteredTwiceAndReplayedTwiceIsAppliedOnceAndThenADuplicate() throws Exception {
        byte[] hire = org.acslifecycle.messaging.EventPublisher.cloudEvent("hire-finn", "/hr/test", "user.onboarded",
                "finn", at(0), "test");
        cli.publisher.publish(hire);
        cli.deadLetterNext("finn", "RetriesExhausted", "first try", Map.of());
        cli.publisher.publish(hire, "hire-finn-resent-by-hr");
        cli.deadLetterNext("finn", "RetriesExhausted", "second try", Map.of());
        assertThat(cli.deadLetters()).hasSize(2);
        cli.startWorker();

        assertThat(cli.run("dlq", "replay", "--all", "--reason", "ACS is back", "--operator", "ops-jane", "--json")).isZero();
        assertThat(json.readTree(cli.out)).hasSize(2);
        assertThat(cli.deadLetters()).isEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                cli.outcomesOf("finn", "hire-finn").contains(AuditEntry.Outcome.DUPLICATE));
        assertThat(cli.outcomesOf("finn", "hire-finn")).filteredOn(o -> o == AuditEntry.Outcome.APPLIED).hasSize(1);
        assertThat(cli.outcomesOf("finn", "hire-finn")).filteredOn(o -> o == AuditEntry.Outcome.OPERATOR).hasSize(2);
        assertThat(cli.emulators.acs().identities()).as("one identity for finn").hasSize(1);
    }

    @Test
    void purgeRemovesForGoodButOnlyWithYesWhenThereIsNoConsole() throws Exception {
        cli.publish("hire-gus", "user.onboarded", "gus", at(0));
        cli.deadLetterNext("gus", "PermanentFailure", "ACS said 400", Map.of());
        cli.publish("hire-hal", "user.onboarded", "hal", at(0));
        cli.deadLetterNext("hal", "PermanentFailure", "ACS said 400", Map.of());
        long gus = cli.deadLetters().get(0).sequenceNumber();
        assertThat(cli.run("dlq", "list", "--max", "1")).isZero();
        assertThat(cli.out).contains("event id hire-gus", "--max for more").doesNotContain("hire-hal");

        assertThat(cli.run("dlq", "purge", String.valueOf(gus), "--reason", "bad record in HR")).isEqualTo(DlqCommand.REFUSED);
        assertThat(cli.err).contains("--yes");
        assertThat(cli.deadLetters()).hasSize(2);

        assertThat(cli.run("dlq", "purge", String.valueOf(gus), "--reason", "bad record in HR", "--operator", "ops-jane",
                "--yes")).isZero();
        assertThat(cli.deadLetters()).extracting(InspectedMessage::messageId).containsExactly(MessageIds.of("/hr/test", "hire-hal"));
        cli.startWorker();
        assertThat(cli.audit("gus")).singleElement().satisfies(row -> {
            assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.OPERATOR);
            assertThat(row.actor()).isEqualTo("ops-jane");
            assertThat(row.reason()).contains("purged dead letter " + gus + " (PermanentFailure): bad record in HR");
        });
        assertThat(cli.record("gus")).as("a purged event never reaches the worker").isEmpty();

        assertThat(cli.run("dlq", "purge", "--all", "--reason", "clean up", "--yes")).isZero();
        assertThat(cli.deadLetters()).isEmpty();
    }

    @Test
    void replayAndPurgeWithoutAReasonOrTargetsPrintUsage() throws Exception {
        assertThat(cli.run("dlq", "replay", "1")).isEqualTo(2);
        assertThat(cli.err).contains("--reason").contains("Usage:");
        assertThat(cli.run("dlq", "purge", "--all")).isEqualTo(2);
        assertThat(cli.err).contains("--reason");
        assertThat(cli.run("dlq", "replay", "--reason", "why")).isEqualTo(2);
        assertThat(cli.run("dlq", "replay", "1", "--all", "--reason", "why")).isEqualTo(2);
        assertThat(cli.run("dlq", "replay", "42", "--reason", "why")).isEqualTo(DlqCommand.NOT_FOUND);
        assertThat(cli.err).contains("No dead letter with sequence number 42");
    }

    @Test
    void nothingPrintedGivesAwayTheConnectionString() throws Exception {
        cli.run("dlq", "list");
        cli.run("dlq", "list", "--max", "0");
        String key = cli.settings.serviceBus().connectionString().orElseThrow().replaceAll(".*SharedAccessKey=([^;]+).*", "$1");
        assertThat(cli.out + cli.err).doesNotContain(key);
    }
}
