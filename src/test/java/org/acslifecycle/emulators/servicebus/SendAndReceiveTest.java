package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.ServiceBusMessageState;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 3: send (single, batch), receive in both modes, complete / abandon / dead-letter, the DLQ. */
class SendAndReceiveTest {
    private static ServiceBusEmulator emulator;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private static int queueCounter;

    @BeforeAll
    static void start() throws Exception {
        List<org.acslifecycle.emulators.servicebus.topology.QueueDefinition> queues = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            queues.add(TestTopologies.queue("q" + i, TestTopologies.FAST.withMaxDeliveryCount(2)));
        }
        emulator = TestTopologies.start(TestTopologies.of(queues, List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    /** A fresh queue per test, so tests never see each other's messages. */
    private static synchronized String freshQueue() {
        return "q" + queueCounter++;
    }

    private ServiceBusSenderClient sender(String queue) {
        ServiceBusSenderClient client = TestTopologies.client(emulator).sender().queueName(queue).buildClient();
        clients.add(client);
        return client;
    }

    private ServiceBusReceiverClient receiver(String queue, ServiceBusReceiveMode mode) {
        ServiceBusReceiverClient client = TestTopologies.client(emulator).receiver().queueName(queue)
                .receiveMode(mode).disableAutoComplete().maxAutoLockRenewDuration(Duration.ZERO).buildClient();
        clients.add(client);
        return client;
    }

    private ServiceBusReceiverClient deadLetterReceiver(String queue) {
        ServiceBusReceiverClient client = TestTopologies.client(emulator).receiver().queueName(queue)
                .subQueue(com.azure.messaging.servicebus.models.SubQueue.DEAD_LETTER_QUEUE)
                .disableAutoComplete().maxAutoLockRenewDuration(Duration.ZERO).buildClient();
        clients.add(client);
        return client;
    }

    private static ServiceBusReceivedMessage receiveOne(ServiceBusReceiverClient receiver) {
        List<ServiceBusReceivedMessage> received = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().toList();
        assertThat(received).as("one message received").hasSize(1);
        return received.get(0);
    }

    @Test
    void sentMessageIsReceivedInPeekLockAndCompleted() throws Exception {
        String q = freshQueue();
        sender(q).sendMessage(new ServiceBusMessage(BinaryData.fromString("hello")).setMessageId("m-1"));
        ServiceBusReceiverClient receiver = receiver(q, ServiceBusReceiveMode.PEEK_LOCK);

        ServiceBusReceivedMessage message = receiveOne(receiver);
        receiver.complete(message);

        assertThat(message.getBody().toString()).isEqualTo("hello");
        assertThat(emulator.messageCount(q)).isZero();
    }

    @Test
    void everyMessageSectionAndPropertyRoundTrips() {
        String q = freshQueue();
        OffsetDateTime when = OffsetDateTime.parse("2026-01-02T03:04:05.678Z");
        UUID uuid = UUID.randomUUID();
        ServiceBusMessage sent = new ServiceBusMessage(BinaryData.fromBytes(new byte[] {0, 1, 2, (byte) 0xff}))
                .setMessageId("id-42").setSubject("subject-1").setCorrelationId("corr-1").setContentType("application/x-test")
                .setTo("to-1").setReplyTo("reply-1").setReplyToSessionId("reply-session").setSessionId("session-1")
                .setPartitionKey("session-1").setTimeToLive(Duration.ofMinutes(7));
        sent.getApplicationProperties().putAll(Map.of("string", "text", "int", 42, "long", 7L, "bool", true,
                "double", 1.5d, "uuid", uuid, "when", when));
        sender(q).sendMessage(sent);

        ServiceBusReceivedMessage got = receiveOne(receiver(q, ServiceBusReceiveMode.RECEIVE_AND_DELETE));

        assertThat(got.getBody().toBytes()).containsExactly(0, 1, 2, 0xff);
        assertThat(got.getMessageId()).isEqualTo("id-42");
        assertThat(got.getSubject()).isEqualTo("subject-1");
        assertThat(got.getCorrelationId()).isEqualTo("corr-1");
        assertThat(got.getContentType()).isEqualTo("application/x-test");
        assertThat(got.getTo()).isEqualTo("to-1");
        assertThat(got.getReplyTo()).isEqualTo("reply-1");
        assertThat(got.getReplyToSessionId()).isEqualTo("reply-session");
        assertThat(got.getSessionId()).isEqualTo("session-1");
        assertThat(got.getPartitionKey()).isEqualTo("session-1");
        assertThat(got.getTimeToLive()).isEqualTo(Duration.ofMinutes(7));
        assertThat(got.getApplicationProperties()).containsEntry("string", "text").containsEntry("int", 42)
                .containsEntry("long", 7L).containsEntry("bool", true).containsEntry("double", 1.5d)
                .containsEntry("uuid", uuid);
        assertThat(got.getApplicationProperties().get("when")).isEqualTo(when);
    }

    @Test
    void brokerStampsSequenceNumberEnqueuedTimeLockAndState() {
        String q = freshQueue();
        ServiceBusSenderClient sender = sender(q);
        sender.sendMessage(new ServiceBusMessage("a"));
        sender.sendMessage(new ServiceBusMessage("b"));
        ServiceBusReceiverClient receiver = receiver(q, ServiceBusReceiveMode.PEEK_LOCK);
        OffsetDateTime now = OffsetDateTime.now();

        List<ServiceBusReceivedMessage> got = receiver.receiveMessages(2, Duration.ofSeconds(5)).stream().toList();

        assertThat(got).extracting(ServiceBusReceivedMessage::getSequenceNumber).containsExactly(1L, 2L);
        ServiceBusReceivedMessage first = got.get(0);
        assertThat(first.getEnqueuedTime()).isCloseTo(now, within(5, ChronoUnit.SECONDS));
        assertThat(first.getLockedUntil()).isCloseTo(now.plusSeconds(5), within(2, ChronoUnit.SECONDS));
        assertThat(first.getLockToken()).isNotNull().isNotEqualTo(new UUID(0, 0).toString())
                .isNotEqualTo(got.get(1).getLockToken());
        assertThat(first.getDeliveryCount()).isZero();
        assertThat(first.getState()).isEqualTo(ServiceBusMessageState.ACTIVE);
        assertThat(first.getMessageId()).as("broker assigns an id when the sender set none").isNotBlank();
        got.forEach(receiver::complete);
    }

    @Test
    void batchOfMessagesArrivesInOrder() {
        String q = freshQueue();
        ServiceBusSenderClient sender = sender(q);
        ServiceBusMessageBatch batch = sender.createMessageBatch();
        for (int i = 0; i < 5; i++) {
            assertThat(batch.tryAddMessage(new ServiceBusMessage("batch-" + i).setMessageId("b" + i))).isTrue();
        }
        sender.sendMessages(batch);
        sender.sendMessages(List.of(new ServiceBusMessage("list-0"), new ServiceBusMessage("list-1")));

        List<String> bodies = receiver(q, ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                .receiveMessages(7, Duration.ofSeconds(5)).stream().map(m -> m.getBody().toString()).toList();

        assertThat(bodies).containsExactly("batch-0", "batch-1", "batch-2", "batch-3", "batch-4", "list-0", "list-1");
    }

    @Test
    void receiveAndDeleteRemovesTheMessageOnDelivery() throws Exception {
        String q = freshQueue();
        sender(q).sendMessage(new ServiceBusMessage("gone"));

        ServiceBusReceivedMessage got = receiveOne(receiver(q, ServiceBusReceiveMode.RECEIVE_AND_DELETE));

        assertThat(got.getBody().toString()).isEqualTo("gone");
        assertThat(emulator.messageCount(q)).isZero();
    }

    @Test
    void abandonedMessageComesBackWithDeliveryCountIncremented() {
        String q = freshQueue();
        sender(q).sendMessage(new ServiceBusMessage("again"));
        ServiceBusReceiverClient receiver = receiver(q, ServiceBusReceiveMode.PEEK_LOCK);

        receiver.abandon(receiveOne(receiver));
        ServiceBusReceivedMessage second = receiveOne(receiver);

        assertThat(second.getBody().toString()).isEqualTo("again");
        assertThat(second.getDeliveryCount()).isEqualTo(1);
        receiver.complete(second);
    }

    @Test
    void deadLetteredMessageLandsInDeadLetterQueueWithReasonAndDescription() throws Exception {
        String q = freshQueue();
        sender(q).sendMessage(new ServiceBusMessage("bad").setMessageId("dl-1"));
        ServiceBusReceiverClient receiver = receiver(q, ServiceBusReceiveMode.PEEK_LOCK);

        receiver.deadLetter(receiveOne(receiver), new DeadLetterOptions().setDeadLetterReason("InvalidEvent")
                .setDeadLetterErrorDescription("missing subject").setPropertiesToModify(Map.of("attempts", 3)));
        ServiceBusReceivedMessage dead = receiveOne(deadLetterReceiver(q));

        assertThat(dead.getMessageId()).isEqualTo("dl-1");
        assertThat(dead.getDeadLetterReason()).isEqualTo("InvalidEvent");
        assertThat(dead.getDeadLetterErrorDescription()).isEqualTo("missing subject");
        assertThat(dead.getApplicationProperties()).containsEntry("attempts", 3);
        assertThat(emulator.messageCount(q)).isZero();
    }

    @Test
    void messageAbandonedMaxDeliveryCountTimesIsDeadLettered() throws Exception {
        String q = freshQueue(); // MaxDeliveryCount 2
        sender(q).sendMessage(new ServiceBusMessage("poison").setMessageId("p-1"));
        ServiceBusReceiverClient receiver = receiver(q, ServiceBusReceiveMode.PEEK_LOCK);

        receiver.abandon(receiveOne(receiver));
        receiver.abandon(receiveOne(receiver));

        assertThat(receiver.receiveMessages(1, Duration.ofSeconds(1)).stream().toList()).isEmpty();
        List<InspectedMessage> dead = emulator.deadLetters(q);
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo("p-1");
            assertThat(m.deadLetterReason()).isEqualTo("MaxDeliveryCountExceeded");
        });
        ServiceBusReceivedMessage fromDlq = receiveOne(deadLetterReceiver(q));
        assertThat(fromDlq.getDeadLetterReason()).isEqualTo("MaxDeliveryCountExceeded");
    }

}
