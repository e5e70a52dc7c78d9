package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.SubQueue;
import java.nio.file.Path;
import java.time.Duration;
import org.acslifecycle.emulators.servicebus.topology.TopologyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's config/servicebus-config.json, served and used the way the worker will use it. */
class ProjectTopologyTest {
    /** The session-enabled twin of lifecycle-events, for servicebus.sessions=true. */
    private static final String SESSION_QUEUE = "lifecycle-events-sessions";
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(
                new TopologyLoader().load(Path.of("config/servicebus-config.json")), 0));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    @Test
    void lifecycleEventsAreDeduplicatedAndReadWithoutSessions() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("lifecycle-events").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId("evt-1").setSessionId("user-7"));
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId("evt-1").setSessionId("user-7"));
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId("evt-2").setSessionId("user-8"));
        }
        try (ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("lifecycle-events")
                .disableAutoComplete().buildClient()) {
            var received = receiver.receiveMessages(3, Duration.ofSeconds(2)).stream().toList();

            assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId).containsExactly("evt-1", "evt-2");
            // Publishers set SessionId = subject either way; a queue without sessions keeps it as a property.
            assertThat(received).extracting(ServiceBusReceivedMessage::getSessionId).containsExactly("user-7", "user-8");
            assertThat(received.get(0).getLockedUntil()).isAfter(received.get(0).getEnqueuedTime().plusSeconds(25));
            received.forEach(receiver::complete);
        }
    }

    @Test
    void theSessionQueueIsDeduplicatedAndReadPerSubject() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName(SESSION_QUEUE).buildClient()) {
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId("evt-1").setSessionId("user-7"));
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId("evt-1").setSessionId("user-7"));
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId("evt-2").setSessionId("user-7"));
        }
        try (ServiceBusReceiverClient user = TestTopologies.client(emulator).sessionReceiver().queueName(SESSION_QUEUE)
                .disableAutoComplete().buildClient().acceptSession("user-7")) {
            var received = user.receiveMessages(3, Duration.ofSeconds(2)).stream().toList();

            assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId).containsExactly("evt-1", "evt-2");
            assertThat(received.get(0).getLockedUntil()).isAfter(received.get(0).getEnqueuedTime().plusSeconds(25));
            received.forEach(user::complete);
        }
    }

    @Test
    void deadLettersOfTheSessionQueueArePeekedAndReadWithoutASession() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName(SESSION_QUEUE).buildClient()) {
            sender.sendMessage(new ServiceBusMessage("not json").setMessageId("bad-1").setSessionId("user-9"));
        }
        try (ServiceBusReceiverClient user = TestTopologies.client(emulator).sessionReceiver().queueName(SESSION_QUEUE)
                .disableAutoComplete().buildClient().acceptSession("user-9")) {
            ServiceBusReceivedMessage bad = user.receiveMessages(1, Duration.ofSeconds(3)).stream().findFirst().orElseThrow();
            user.deadLetter(bad, new DeadLetterOptions().setDeadLetterReason("InvalidEvent")
                    .setDeadLetterErrorDescription("body is not JSON"));
        }
        try (ServiceBusReceiverClient dlq = TestTopologies.client(emulator).receiver().queueName(SESSION_QUEUE)
                .subQueue(SubQueue.DEAD_LETTER_QUEUE).disableAutoComplete().buildClient()) {
            ServiceBusReceivedMessage peeked = dlq.peekMessage();
            ServiceBusReceivedMessage read = dlq.receiveMessages(1, Duration.ofSeconds(3)).stream().findFirst().orElseThrow();

            assertThat(peeked.getMessageId()).isEqualTo("bad-1");
            assertThat(read.getSessionId()).isEqualTo("user-9");
            assertThat(read.getDeadLetterReason()).isEqualTo("InvalidEvent");
            assertThat(read.getDeadLetterErrorDescription()).isEqualTo("body is not JSON");
            dlq.complete(read);
        }
    }

    @Test
    void outcomesReachTheAuditSubscription() {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().topicName("lifecycle-outcomes").buildClient();
             ServiceBusReceiverClient audit = TestTopologies.client(emulator).receiver().topicName("lifecycle-outcomes")
                     .subscriptionName("audit").disableAutoComplete().buildClient()) {
            sender.sendMessage(new ServiceBusMessage("identity.provisioned").setMessageId("out-1"));

            ServiceBusReceivedMessage got = audit.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            assertThat(got.getBody().toString()).isEqualTo("identity.provisioned");
            audit.complete(got);
        }
    }
}
