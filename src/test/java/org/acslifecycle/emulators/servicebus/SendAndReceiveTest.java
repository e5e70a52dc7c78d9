package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SendAndReceiveTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(TestTopologies.queue("plain")), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    @Test
    void sentMessageIsReceivedInPeekLockAndCompleted() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("plain").buildClient();
             ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("plain")
                     .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).disableAutoComplete().buildClient()) {
            sender.sendMessage(new ServiceBusMessage(BinaryData.fromString("hello")).setMessageId("m-1"));

            List<ServiceBusReceivedMessage> received = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().toList();

            assertThat(received).hasSize(1);
            assertThat(received.get(0).getBody().toString()).isEqualTo("hello");
            assertThat(received.get(0).getSequenceNumber()).isEqualTo(1);
            receiver.complete(received.get(0));
            assertThat(emulator.messageCount("plain")).isZero();
        }
    }
}
