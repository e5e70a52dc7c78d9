package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusTransactionContext;
import com.azure.messaging.servicebus.models.CompleteOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 9: a send and a complete in one transaction take effect together on commit, and not at all on rollback. */
class TransactionTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(TestTopologies.queue("tx-in-1"),
                TestTopologies.queue("tx-out-1"), TestTopologies.queue("tx-in-2"), TestTopologies.queue("tx-out-2"),
                TestTopologies.queue("tx-in-3"), TestTopologies.queue("tx-retry-3")), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    @Test
    void sendAndCompleteInOneTransactionApplyTogetherOnCommit() throws Exception {
        ServiceBusClientBuilder shared = TestTopologies.client(emulator); // one connection for both clients
        try (ServiceBusSenderClient input = shared.sender().queueName("tx-in-1").buildClient();
             ServiceBusSenderClient output = shared.sender().queueName("tx-out-1").buildClient();
             ServiceBusReceiverClient receiver = shared.receiver().queueName("tx-in-1").disableAutoComplete().buildClient()) {
            input.sendMessage(new ServiceBusMessage("event"));
            ServiceBusReceivedMessage event = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            ServiceBusTransactionContext txn = receiver.createTransaction();
            output.sendMessage(new ServiceBusMessage("outcome"), txn);
            receiver.complete(event, new CompleteOptions().setTransactionContext(txn));

            assertThat(emulator.messageCount("tx-out-1")).as("nothing before commit").isZero();
            assertThat(emulator.messageCount("tx-in-1")).isEqualTo(1);
            receiver.commitTransaction(txn);
            assertThat(emulator.messageCount("tx-out-1")).isEqualTo(1);
            assertThat(emulator.messageCount("tx-in-1")).isZero();
        }
    }

    @Test
    void rolledBackTransactionLeavesEverythingAsItWas() throws Exception {
        ServiceBusClientBuilder shared = TestTopologies.client(emulator);
        try (ServiceBusSenderClient input = shared.sender().queueName("tx-in-2").buildClient();
             ServiceBusSenderClient output = shared.sender().queueName("tx-out-2").buildClient();
             ServiceBusReceiverClient receiver = shared.receiver().queueName("tx-in-2").disableAutoComplete().buildClient()) {
            input.sendMessage(new ServiceBusMessage("event"));
            ServiceBusReceivedMessage event = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            ServiceBusTransactionContext txn = receiver.createTransaction();
            output.sendMessage(new ServiceBusMessage("outcome"), txn);
            receiver.complete(event, new CompleteOptions().setTransactionContext(txn));
            receiver.rollbackTransaction(txn);

            assertThat(emulator.messageCount("tx-out-2")).isZero();
            assertThat(emulator.messages("tx-in-2")).singleElement()
                    .satisfies(m -> assertThat(m.locked()).as("still there and locked: nothing was settled").isTrue());
        }
    }

    /** The worker's delayed retry: complete the attempt and schedule the retry atomically. */
    @Test
    void completeAndScheduleInOneTransactionApplyTogetherOnCommit() throws Exception {
        ServiceBusClientBuilder shared = TestTopologies.client(emulator);
        try (ServiceBusSenderClient input = shared.sender().queueName("tx-in-3").buildClient();
             ServiceBusSenderClient retries = shared.sender().queueName("tx-retry-3").buildClient();
             ServiceBusReceiverClient receiver = shared.receiver().queueName("tx-in-3").disableAutoComplete().buildClient()) {
            input.sendMessage(new ServiceBusMessage("event"));
            ServiceBusReceivedMessage event = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            ServiceBusTransactionContext txn = receiver.createTransaction();
            Long sequenceNumber = retries.scheduleMessage(new ServiceBusMessage("retry"),
                    java.time.OffsetDateTime.now().plusMinutes(5), txn);
            receiver.complete(event, new CompleteOptions().setTransactionContext(txn));

            assertThat(sequenceNumber).isPositive();
            assertThat(emulator.messageCount("tx-retry-3")).as("nothing before commit").isZero();
            receiver.commitTransaction(txn);
            assertThat(emulator.messages("tx-retry-3")).singleElement().satisfies(m -> {
                assertThat(m.sequenceNumber()).isEqualTo(sequenceNumber);
                assertThat(m.state()).isEqualTo("SCHEDULED");
            });
            assertThat(emulator.messageCount("tx-in-3")).isZero();
        }
    }
}
