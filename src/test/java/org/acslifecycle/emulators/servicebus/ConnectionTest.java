package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.engine.impl.TransportImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 1: SASL (and none), heartbeats, CBS with the namespace key, unknown entities. */
class ConnectionTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(TestTopologies.queue("known")), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    @Test
    void connectionStringUsesLoopbackThePortAndTheDevelopmentEmulatorFlag() {
        assertThat(emulator.connectionString())
                .startsWith("Endpoint=sb://127.0.0.1:" + emulator.port() + ";")
                .contains("SharedAccessKeyName=RootManageSharedAccessKey;")
                .endsWith("UseDevelopmentEmulator=true;");
        assertThat(emulator.port()).isPositive().isNotEqualTo(5672);
    }

    @Test
    void sdkWithTheRightKeySendsAndReceives() {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("known").buildClient();
             ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("known")
                     .receiveMode(com.azure.messaging.servicebus.models.ServiceBusReceiveMode.RECEIVE_AND_DELETE).buildClient()) {
            sender.sendMessage(new ServiceBusMessage("authorized"));
            assertThat(receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().map(m -> m.getBody().toString()))
                    .containsExactly("authorized");
        }
    }

    @Test
    void wrongKeyIsRefusedWithTheUnauthorizedReason() {
        String wrong = emulator.connectionString().replace("SharedAccessKey=SAS_KEY_VALUE", "SharedAccessKey=not-the-key");
        long started = System.nanoTime();
        try (ServiceBusSenderClient sender = TestTopologies.client(wrong).sender().queueName("known").buildClient()) {
            assertThatThrownBy(() -> sender.sendMessage(new ServiceBusMessage("x")))
                    .isInstanceOfSatisfying(ServiceBusException.class,
                            e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.UNAUTHORIZED))
                    .hasMessageNotContaining("not-the-key");
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(8);
    }

    @Test
    void unknownEntityFailsFastWithNotFoundForSendersAndReceivers() {
        long started = System.nanoTime();
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("missing").buildClient();
             ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("missing").buildClient()) {
            assertThatThrownBy(() -> sender.sendMessage(new ServiceBusMessage("x")))
                    .isInstanceOfSatisfying(ServiceBusException.class,
                            e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.MESSAGING_ENTITY_NOT_FOUND));
            // The sync receiver wraps the link error in "receiver client is terminated"; the cause is the not-found.
            Throwable receiveError = org.assertj.core.api.Assertions.catchThrowable(
                    () -> receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().toList());
            assertThat(causes(receiveError)).anySatisfy(cause -> assertThat(cause)
                    .isInstanceOfSatisfying(com.azure.core.amqp.exception.AmqpException.class, e -> assertThat(e.getErrorCondition())
                            .isEqualTo(com.azure.core.amqp.exception.AmqpErrorCondition.NOT_FOUND)));
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(8);
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    @Test
    void clientWithoutSaslLayerIsAccepted() throws Exception {
        try (RawAmqpClient client = new RawAmqpClient(emulator.port(), false, 0)) {
            assertThat(client.pumpUntil(client::isOpen, 5_000)).isTrue();
        }
    }

    @Test
    void brokerAdvertisesIdleTimeoutAndKeepsASilentClientAlive() throws Exception {
        // The client asks for frames at least every second (it advertises 1 s, half of its 2 s local timeout).
        try (RawAmqpClient client = new RawAmqpClient(emulator.port(), true, 2_000)) {
            assertThat(client.pumpUntil(client::isOpen, 5_000)).isTrue();
            long before = client.bytesReceived;

            client.pumpUntil(() -> false, 3_000);

            assertThat(((TransportImpl) client.transport).getRemoteIdleTimeout()).isEqualTo(60_000);
            assertThat(client.bytesReceived).as("empty frames arrived while nothing else happened").isGreaterThan(before);
            assertThat(client.transport.isClosed()).as("the client's idle timer never fired").isFalse();
        }
    }

    /** The JS SDK drains after every receive and closes the link if the broker does not answer within ~200 ms. */
    @Test
    void drainOnAnEmptyQueueIsAnsweredWithZeroCreditAtOnce() throws Exception {
        try (RawAmqpClient client = new RawAmqpClient(emulator.port(), true, 0)) {
            assertThat(client.putToken("RootManageSharedAccessKey", "SAS_KEY_VALUE", "known")).isEqualTo(202);
            org.apache.qpid.proton.engine.Receiver receiver = client.peekLockReceiver("known", 0);
            client.pumpUntil(() -> receiver.getRemoteState() == org.apache.qpid.proton.engine.EndpointState.ACTIVE, 5_000);
            long started = System.nanoTime();

            receiver.drain(10);
            boolean drained = client.pumpUntil(() -> !receiver.draining() && receiver.getCredit() == 0, 2_000);

            assertThat(drained).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("answered at once, not at a sweep").isLessThan(500);
        }
    }
}
