package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outcome events (DESIGN §3) on the outcomes topic, as a subscriber sees them. */
class WorkerOutcomesTest {

    @TempDir
    Path directory;

    private LocalWorker local;
    private ServiceBusReceiverClient audit;
    private final Instant base = Instant.now().minusSeconds(3600);

    @BeforeEach
    void start() {
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(), Map.of());
        audit = ServiceBusClients.builder(local.settings.serviceBus()).receiver().topicName("lifecycle-outcomes")
                .subscriptionName("audit").receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE).buildClient();
    }

    @AfterEach
    void stop() {
        audit.close();
        local.close();
    }

    private byte[] event(String id, String type, String subject, int minute) {
        return EventPublisher.cloudEvent(id, "/hr/test", type, subject, base.plusSeconds(60L * minute).toString(), null);
    }

    @Test
    void eachAppliedOrRejectedEventGivesOneOutcomeAndARedeliveryDoesNotGiveASecond() throws Exception {
        byte[] onboarded = event("o1", "user.onboarded", "alice", 0);
        local.publisher.publish(onboarded);
        // Onboarded first: without sessions the suspension, published right after, could be handled first, and
        // the onboarding would then be stale (no identity, nothing to revoke).
        await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().history("alice")
                .flatMap(PersonHistory::record).map(PersonRecord::state).map(Enum::name).orElse("").equals("ACTIVE"));
        local.publisher.publish(event("o2", "user.suspended", "alice", 5));
        local.publisher.publish("{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8), "poison-outcome");
        await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().history("alice")
                .flatMap(PersonHistory::record).map(PersonRecord::state).map(Enum::name).orElse("").equals("SUSPENDED"));
        // The same event again under a new MessageId, as after Service Bus's duplicate-detection window:
        // the ledger sees a duplicate and sends the outcome again, which the topic's duplicate detection drops.
        local.publisher.publish(onboarded, "o1-again");
        await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().history("alice").orElseThrow()
                .audit().size() == 3);

        List<ServiceBusReceivedMessage> outcomes = receiveAll();
        ObjectMapper json = new ObjectMapper();
        List<String> types = new ArrayList<>();
        for (ServiceBusReceivedMessage message : outcomes) {
            JsonNode cloudEvent = json.readTree(message.getBody().toBytes());
            types.add(cloudEvent.get("type").asText());
            assertThat(message.getMessageId()).isEqualTo(cloudEvent.get("id").asText());
            assertThat(message.getContentType()).isEqualTo("application/cloudevents+json");
            if (cloudEvent.get("type").asText().equals("identity.provisioned")) {
                String acsUserId = local.worker.ledger().history("alice").flatMap(PersonHistory::record)
                        .flatMap(PersonRecord::acsUserId).orElseThrow();
                assertThat(cloudEvent.at("/data/acsUserId").asText()).isEqualTo(acsUserId);
                assertThat(cloudEvent.at("/data/inputEvent/id").asText()).isEqualTo("o1");
                assertThat(cloudEvent.get("subject").asText()).isEqualTo("alice");
            }
            if (cloudEvent.get("type").asText().equals("lifecycle.event-rejected")) {
                assertThat(cloudEvent.at("/data/reason").asText()).isEqualTo("InvalidEvent");
                assertThat(cloudEvent.at("/data/messageId").asText()).isEqualTo("poison-outcome");
            }
        }
        assertThat(types).containsExactlyInAnyOrder("identity.provisioned", "identity.tokens-revoked",
                "lifecycle.event-rejected");
    }

    private List<ServiceBusReceivedMessage> receiveAll() {
        List<ServiceBusReceivedMessage> all = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            audit.receiveMessages(10, Duration.ofSeconds(1)).forEach(all::add);
            if (all.size() >= 3) {
                // Give a wrongly re-sent outcome a moment to arrive, so the test can see it.
                audit.receiveMessages(10, Duration.ofSeconds(2)).forEach(all::add);
                break;
            }
        }
        return all;
    }
}
