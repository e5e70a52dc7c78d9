package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusMessageState;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 6: scheduled messages, duplicate detection, TTL, peek, defer. */
class MessageFeaturesTest {
    private static ServiceBusEmulator emulator;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(
                TestTopologies.queue("scheduled"),
                TestTopologies.queue("cancelled"),
                TestTopologies.queue("dedupe", TestTopologies.FAST.withDuplicateDetection(Duration.ofSeconds(2))),
                TestTopologies.queue("ttl-dlq", TestTopologies.FAST.withDeadLetteringOnMessageExpiration(true)
                        .withDefaultMessageTimeToLive(Duration.ofSeconds(1))),
                TestTopologies.queue("ttl-drop", TestTopologies.FAST.withDefaultMessageTimeToLive(Duration.ofSeconds(1))),
                TestTopologies.queue("ttl-message", TestTopologies.FAST.withDeadLetteringOnMessageExpiration(true)),
                TestTopologies.queue("peek"),
                TestTopologies.queue("defer")), List.of()));
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

    private ServiceBusSenderClient sender(String queue) {
        ServiceBusSenderClient client = TestTopologies.client(emulator).sender().queueName(queue).buildClient();
        clients.add(client);
        return client;
    }

    private ServiceBusReceiverClient receiver(String queue) {
        ServiceBusReceiverClient client = TestTopologies.client(emulator).receiver().queueName(queue)
                .disableAutoComplete().maxAutoLockRenewDuration(Duration.ZERO).buildClient();
        clients.add(client);
        return client;
    }

    @Test
    void scheduledMessageIsHiddenUntilItsTimeThenDelivered() {
        ServiceBusSenderClient sender = sender("scheduled");
        OffsetDateTime at = OffsetDateTime.now().plusSeconds(3);

        Long sequenceNumber = sender.scheduleMessage(new ServiceBusMessage("later").setMessageId("sched-1"), at);
        ServiceBusReceiverClient receiver = receiver("scheduled");

        assertThat(sequenceNumber).isPositive();
        ServiceBusReceivedMessage peeked = receiver.peekMessage();
        assertThat(peeked.getState()).isEqualTo(ServiceBusMessageState.SCHEDULED);
        assertThat(receiver.receiveMessages(1, Duration.ofMillis(800)).stream().toList()).as("not yet due").isEmpty();
        ServiceBusReceivedMessage due = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
        assertThat(due.getMessageId()).isEqualTo("sched-1");
        assertThat(due.getSequenceNumber()).isEqualTo(sequenceNumber);
        assertThat(OffsetDateTime.now()).isAfterOrEqualTo(at.minusNanos(200_000_000));
        receiver.complete(due);
    }

    @Test
    void cancelledScheduledMessageIsNeverDelivered() throws Exception {
        ServiceBusSenderClient sender = sender("cancelled");
        Long sequenceNumber = sender.scheduleMessage(new ServiceBusMessage("never"), OffsetDateTime.now().plusSeconds(1));

        sender.cancelScheduledMessage(sequenceNumber);

        assertThat(emulator.messageCount("cancelled")).isZero();
        assertThat(receiver("cancelled").receiveMessages(1, Duration.ofSeconds(2)).stream().toList()).isEmpty();
    }

    @Test
    void duplicateMessageIdInsideTheWindowIsDroppedAndAcceptedAgainAfterIt() throws Exception {
        ServiceBusSenderClient sender = sender("dedupe");

        sender.sendMessage(new ServiceBusMessage("one").setMessageId("same"));
        sender.sendMessage(new ServiceBusMessage("two").setMessageId("same"));
        sender.sendMessage(new ServiceBusMessage("other").setMessageId("different"));
        assertThat(emulator.messages("dedupe")).extracting(InspectedMessage::messageId).containsExactly("same", "different");

        Thread.sleep(2_200);
        sender.sendMessage(new ServiceBusMessage("three").setMessageId("same"));
        assertThat(emulator.messages("dedupe")).extracting(InspectedMessage::messageId)
                .containsExactly("same", "different", "same");
    }

    @Test
    void expiredMessageIsDeadLetteredWhenTheEntityAsksForIt() throws Exception {
        sender("ttl-dlq").sendMessage(new ServiceBusMessage("stale").setMessageId("stale-1"));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> emulator.messageCount("ttl-dlq") == 0);

        ServiceBusReceiverClient dlq = TestTopologies.client(emulator).receiver().queueName("ttl-dlq")
                .subQueue(SubQueue.DEAD_LETTER_QUEUE).buildClient();
        clients.add(dlq);
        ServiceBusReceivedMessage dead = dlq.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
        assertThat(dead.getMessageId()).isEqualTo("stale-1");
        assertThat(dead.getDeadLetterReason()).isEqualTo("TTLExpiredException");
    }

    @Test
    void messageTimeToLiveShorterThanTheEntityDefaultWins() throws Exception {
        ServiceBusSenderClient sender = sender("ttl-message"); // entity default: 1 h
        sender.sendMessage(new ServiceBusMessage("short").setMessageId("short").setTimeToLive(Duration.ofSeconds(1)));
        sender.sendMessage(new ServiceBusMessage("long").setMessageId("long"));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> emulator.deadLetters("ttl-message").size() == 1);

        assertThat(emulator.deadLetters("ttl-message")).extracting(InspectedMessage::messageId).containsExactly("short");
        assertThat(emulator.messages("ttl-message")).extracting(InspectedMessage::messageId).containsExactly("long");
    }

    @Test
    void expiredMessageIsDroppedWhenTheEntityDoesNotDeadLetterOnExpiry() throws Exception {
        sender("ttl-drop").sendMessage(new ServiceBusMessage("stale"));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> emulator.messageCount("ttl-drop") == 0);

        assertThat(emulator.deadLetters("ttl-drop")).isEmpty();
    }

    @Test
    void peekShowsMessagesInOrderWithoutLockingThem() throws Exception {
        ServiceBusSenderClient sender = sender("peek");
        for (int i = 0; i < 4; i++) {
            sender.sendMessage(new ServiceBusMessage("p" + i));
        }
        ServiceBusReceiverClient receiver = receiver("peek");

        List<String> firstTwo = receiver.peekMessages(2).stream().map(m -> m.getBody().toString()).toList();
        List<String> fromThree = receiver.peekMessages(10, 3).stream().map(m -> m.getBody().toString()).toList();

        assertThat(firstTwo).containsExactly("p0", "p1");
        assertThat(fromThree).containsExactly("p2", "p3");
        assertThat(emulator.lockedCount("peek")).isZero();
        assertThat(receiver.receiveMessages(4, Duration.ofSeconds(3)).stream().map(m -> m.getBody().toString()))
                .containsExactly("p0", "p1", "p2", "p3");
    }

    @Test
    void deferredMessageIsOnlyReceivableBySequenceNumber() throws Exception {
        sender("defer").sendMessage(new ServiceBusMessage("later please").setMessageId("def-1"));
        ServiceBusReceiverClient receiver = receiver("defer");
        ServiceBusReceivedMessage first = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

        receiver.defer(first);

        assertThat(receiver.receiveMessages(1, Duration.ofSeconds(1)).stream().toList()).isEmpty();
        ServiceBusReceivedMessage deferred = receiver.receiveDeferredMessage(first.getSequenceNumber());
        assertThat(deferred.getMessageId()).isEqualTo("def-1");
        assertThat(deferred.getState()).isEqualTo(ServiceBusMessageState.DEFERRED);
        receiver.complete(deferred);
        assertThat(emulator.messageCount("defer")).isZero();
    }
}
