package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.acslifecycle.messaging.MessageIds;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code publish} against the embedded emulators through the real SDK, with a worker applying what it sends. */
class PublishCommandTest {

    @TempDir
    Path directory;

    private CliOnEmulators cli;
    private final Instant base = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(3600);

    @BeforeEach
    void start() throws Exception {
        cli = new CliOnEmulators(directory);
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private String event(String id, String type, String subject, int minute) {
        return new String(EventPublisher.cloudEvent(id, "/hr/file", type, subject,
                base.plusSeconds(60L * minute).toString(), "from a file"), StandardCharsets.UTF_8);
    }

    @Test
    void anEventFromFlagsIsAppliedByTheWorker() {
        cli.startWorker();
        assertThat(cli.run("publish", "--type", "user.onboarded", "--subject", "ivy", "--id", "hire-ivy",
                "--time", base.toString(), "--reason", "new hire")).isZero();
        assertThat(cli.out.strip()).as("the MessageId of source and id")
                .isEqualTo("sent " + MessageIds.of("/hr/cli", "hire-ivy"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                cli.record("ivy").map(PersonRecord::state).equals(Optional.of(PersonState.ACTIVE)));
        AuditEntry applied = cli.audit("ivy").get(0);
        assertThat(applied.eventId()).contains("hire-ivy");
        assertThat(applied.eventSource()).contains("/hr/cli");
        assertThat(applied.eventTime()).contains(base);
    }

    @Test
    void withoutAnIdTheEventGetsAFreshUuidAndTheTimeIsNow() throws Exception {
        cli.startWorker();
        assertThat(cli.run("publish", "--type", "user.suspended", "--subject", "jon", "--json")).isZero();
        String messageId = new ObjectMapper().readTree(cli.out).get("messageIds").get(0).asText();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                cli.record("jon").map(PersonRecord::state).equals(Optional.of(PersonState.SUSPENDED)));
        String eventId = cli.audit("jon").get(0).eventId().orElseThrow();
        assertThat(java.util.UUID.fromString(eventId)).isNotNull();
        assertThat(messageId).as("derived from source and id").isEqualTo(MessageIds.of("/hr/cli", eventId));
        assertThat(cli.audit("jon").get(0).eventTime().orElseThrow()).isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void everyLineOfAFileIsPublishedInOrderAndApplied() throws Exception {
        Path file = directory.resolve("events.jsonl");
        Files.writeString(file, String.join("\n", event("f1", "user.onboarded", "kim", 0), "",
                event("f2", "user.suspended", "kim", 1), event("f3", "user.onboarded", "lea", 0)) + "\n");
        cli.startWorker();

        assertThat(cli.run("publish", "--file", file.toString())).isZero();
        assertThat(cli.out.lines()).containsExactly("sent " + MessageIds.of("/hr/file", "f1"),
                "sent " + MessageIds.of("/hr/file", "f2"), "sent " + MessageIds.of("/hr/file", "f3"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                cli.record("kim").map(PersonRecord::state).equals(Optional.of(PersonState.SUSPENDED))
                        && cli.record("lea").map(PersonRecord::state).equals(Optional.of(PersonState.ACTIVE)));
    }

    @Test
    void aFileWithALineThatIsNotAJsonObjectSendsNothingAndNamesTheLine() throws Exception {
        Path file = directory.resolve("events.jsonl");
        Files.writeString(file, String.join("\n", event("b1", "user.onboarded", "max", 0),
                "[\"an array is not an event\"]", event("b3", "user.onboarded", "ned", 0)) + "\n");

        assertThat(cli.run("publish", "--file", file.toString())).isEqualTo(1);
        assertThat(cli.err).contains("line 2 is not a JSON object").contains("nothing was sent");
        assertThat(cli.emulators.serviceBus().messageCount(CliOnEmulators.QUEUE)).isZero();

        Files.writeString(file, event("b1", "user.onboarded", "max", 0) + "\n{\"id\":\"b2\"} trailing\n");
        assertThat(cli.run("publish", "--file", file.toString())).isEqualTo(1);
        assertThat(cli.err).contains("line 2");
        assertThat(cli.emulators.serviceBus().messageCount(CliOnEmulators.QUEUE)).isZero();

        assertThat(cli.run("publish", "--file", directory.resolve("missing.jsonl").toString()))
                .isEqualTo(PublishCommand.NOT_FOUND);
    }

    @Test
    void badFlagsPrintUsage() throws Exception {
        assertThat(cli.run("publish", "--type", "user.onboarded")).isEqualTo(2);
        assertThat(cli.err).contains("--subject").contains("Usage:");
        assertThat(cli.run("publish")).isEqualTo(2);
        assertThat(cli.run("publish", "--type", "user.onboarded", "--subject", "oz", "--file", "x.jsonl")).isEqualTo(2);
        assertThat(cli.run("publish", "--type", "user.onboarded", "--subject", "oz", "--time", "yesterday")).isEqualTo(2);
        assertThat(cli.err).contains("RFC 3339");
        assertThat(cli.emulators.serviceBus().messageCount(CliOnEmulators.QUEUE)).isZero();
    }
}
