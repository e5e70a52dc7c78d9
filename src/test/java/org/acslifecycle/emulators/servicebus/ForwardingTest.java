package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import java.time.Duration;
import java.util.List;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionDefinition;
import org.acslifecycle.emulators.servicebus.topology.TopicDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Auto-forwarding (ForwardTo, ForwardDeadLetteredMessagesTo) with the service's 4-hop limit. */
class ForwardingTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(
                TestTopologies.queue("entry", TestTopologies.FAST.withForwarding("destination", null)),
                TestTopologies.queue("destination"),
                TestTopologies.queue("from-topic"),
                TestTopologies.queue("failing", TestTopologies.FAST.withForwarding(null, "parking")),
                TestTopologies.queue("parking"),
                TestTopologies.queue("ping", TestTopologies.FAST.withForwarding("pong", null)),
                TestTopologies.queue("pong", TestTopologies.FAST.withForwarding("ping", null))),
                List.of(new TopicDefinition("events", false, Duration.ofSeconds(20), Duration.ofHours(1), List.of(
                        new SubscriptionDefinition("to-queue", TestTopologies.FAST.withForwarding("from-topic", null)))))));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    private static ServiceBusSenderClient sender(String queue) {
        return TestTopologies.client(emulator).sender().queueName(queue).buildClient();
    }

    @Test
    void queueForwardsEveryMessageToItsTarget() throws Exception {
        try (ServiceBusSenderClient sender = sender("entry");
             ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("destination")
                     .disableAutoComplete().buildClient()) {
            sender.sendMessage(new ServiceBusMessage("hop").setMessageId("fwd-1"));

            ServiceBusReceivedMessage got = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            assertThat(got.getMessageId()).isEqualTo("fwd-1");
            assertThat(emulator.messageCount("entry")).isZero();
            receiver.complete(got);
        }
    }

    @Test
    void subscriptionForwardsToAQueue() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().topicName("events").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("via topic").setMessageId("fwd-topic"));
        }

        assertThat(emulator.messages("from-topic")).extracting(InspectedMessage::messageId).containsExactly("fwd-topic");
        assertThat(emulator.messageCount("events/subscriptions/to-queue")).isZero();
    }

    @Test
    void deadLetteredMessageIsForwardedWithItsReason() throws Exception {
        try (ServiceBusSenderClient sender = sender("failing");
             ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("failing")
                     .disableAutoComplete().buildClient()) {
            sender.sendMessage(new ServiceBusMessage("bad").setMessageId("dlq-fwd"));
            ServiceBusReceivedMessage got = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            receiver.deadLetter(got, new DeadLetterOptions().setDeadLetterReason("InvalidEvent"));

            assertThat(emulator.deadLetters("failing")).isEmpty();
            assertThat(emulator.messages("parking")).singleElement().satisfies(m -> {
                assertThat(m.messageId()).isEqualTo("dlq-fwd");
                assertThat(m.deadLetterReason()).isEqualTo("InvalidEvent");
            });
        }
    }

    @Test
    void forwardingLoopStopsAfterFourHopsInADeadLetterQueue() throws Exception {
        try (ServiceBusSenderClient sender = sender("ping")) {
            sender.sendMessage(new ServiceBusMessage("loop").setMessageId("loop-1"));
        }

        List<InspectedMessage> dead = new java.util.ArrayList<>(emulator.deadLetters("ping"));
        dead.addAll(emulator.deadLetters("pong"));
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo("loop-1");
            assertThat(m.deadLetterReason()).isEqualTo("MaxTransferHopCountExceeded");
        });
    }

    @Test
    void forwardingToAnUnknownEntityIsAConfigurationError() {
        assertThatThrownBy(() -> TestTopologies.start(TestTopologies.of(List.of(
                TestTopologies.queue("orphan", TestTopologies.FAST.withForwarding("nowhere", null))), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ForwardTo of 'orphan'");
    }
}
