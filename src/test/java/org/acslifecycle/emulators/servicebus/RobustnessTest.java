package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.Transfer;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 8: vanished clients give their messages back; bad input never takes the broker down. */
class RobustnessTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(
                TestTopologies.queue("crash", TestTopologies.FAST.withLockDuration(java.time.Duration.ofSeconds(60))),
                TestTopologies.queue("healthy"), TestTopologies.queue("big"), TestTopologies.queue("cycles"),
                TestTopologies.queue("reconnect")), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    /** The broker still serves the SDK: a round trip on a queue. */
    private static void assertBrokerServesTheSdk() {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("healthy").buildClient();
             ServiceBusReceiverClient receiver = TestTopologies.client(emulator).receiver().queueName("healthy")
                     .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE).buildClient()) {
            sender.sendMessage(new ServiceBusMessage("still alive"));
            assertThat(receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().map(m -> m.getBody().toString()))
                    .containsExactly("still alive");
        }
    }

    @Test
    void messagesLockedByAClientThatVanishesComeBackAtOnce() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("crash").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("survives").setMessageId("crash-1"));
        }
        RawAmqpClient crashing = new RawAmqpClient(emulator.port(), true, 0);
        assertThat(crashing.putToken("RootManageSharedAccessKey", "SAS_KEY_VALUE", "crash")).isEqualTo(202);
        Receiver receiver = crashing.peekLockReceiver("crash", 1);
        assertThat(crashing.pumpUntil(() -> receiver.current() != null && !receiver.current().isPartial(), 5_000)).isTrue();
        assertThat(emulator.lockedCount("crash")).isEqualTo(1);

        crashing.vanish(); // 60 s lock: only the disconnect can bring it back within this test

        try (ServiceBusReceiverClient next = TestTopologies.client(emulator).receiver().queueName("crash")
                .disableAutoComplete().buildClient()) {
            ServiceBusReceivedMessage again = next.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
            assertThat(again.getMessageId()).isEqualTo("crash-1");
            assertThat(again.getDeliveryCount()).isEqualTo(1);
            next.complete(again);
        }
    }

    @Test
    void sdkReconnectsAfterTheBrokerDropsEveryConnection() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("reconnect").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("before"));

            emulator.dropAllConnections();
            sender.sendMessage(new ServiceBusMessage("after"));

            assertThat(emulator.messageCount("reconnect")).isEqualTo(2);
        }
    }

    @Test
    void garbageBytesCloseThatConnectionOnly() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", emulator.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            byte[] garbage = new byte[4096];
            new Random(42).nextBytes(garbage);
            out.write(garbage);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            int read;
            int total = 0;
            while ((read = in.read(buffer)) >= 0) {
                total += read;
            }
            assertThat(read).as("broker closed the connection").isEqualTo(-1);
            assertThat(total).isLessThan(1024);
        }
        assertBrokerServesTheSdk();
    }

    @Test
    void transferForAnUnknownLinkClosesThatConnectionOnly() throws Exception {
        try (RawAmqpClient client = new RawAmqpClient(emulator.port(), true, 0)) {
            client.session();
            client.flush();
            client.writeRaw(transferFrameForHandle(7));

            boolean closed = client.pumpUntil(() -> client.endOfStream, 3_000);

            assertThat(closed).as("the broker closed that connection").isTrue();
        }
        assertBrokerServesTheSdk();
    }

    @Test
    void oversizedMessageFailsInTheSdkWithTheSizeReason() {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("big").buildClient()) {
            ServiceBusMessage huge = new ServiceBusMessage(BinaryData.fromBytes(new byte[300 * 1024]));

            assertThatThrownBy(() -> sender.sendMessage(huge)).isInstanceOfSatisfying(ServiceBusException.class,
                    e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.MESSAGE_SIZE_EXCEEDED));
        }
    }

    @Test
    void oversizedTransferFromAClientThatIgnoresTheLimitIsRejected() throws Exception {
        try (RawAmqpClient client = new RawAmqpClient(emulator.port(), true, 0)) {
            assertThat(client.putToken("RootManageSharedAccessKey", "SAS_KEY_VALUE", "big")).isEqualTo(202);
            Sender sender = client.sender("big");
            Message huge = Message.Factory.create();
            huge.setBody(new Data(new Binary(new byte[400 * 1024])));

            Delivery delivery = client.send(sender, huge, false);
            client.pumpUntil(() -> delivery.getRemoteState() != null, 5_000);

            assertThat(delivery.getRemoteState()).isInstanceOfSatisfying(Rejected.class, r ->
                    assertThat(r.getError().getCondition().toString()).isEqualTo("amqp:link:message-size-exceeded"));
        }
        assertThat(emulator.messageCount("big")).isZero();
        assertBrokerServesTheSdk();
    }

    @Test
    void manyConnectAndDisconnectCyclesLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 25; i++) {
            try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("cycles").buildClient()) {
                sender.sendMessage(new ServiceBusMessage("cycle-" + i));
            }
        }
        for (int i = 0; i < 10; i++) {
            try (RawAmqpClient raw = new RawAmqpClient(emulator.port(), i % 2 == 0, 0)) {
                raw.pumpUntil(raw::isOpen, 2_000);
                raw.vanish();
            }
        }

        assertThat(emulator.messageCount("cycles")).isEqualTo(25);
        assertBrokerServesTheSdk();
    }

    /** A transfer performative for a link handle that was never attached, framed by hand. */
    private static byte[] transferFrameForHandle(int handle) {
        DecoderImpl decoder = new DecoderImpl();
        EncoderImpl encoder = new EncoderImpl(decoder);
        AMQPDefinedTypes.registerAllTypes(decoder, encoder);
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        buffer.position(8);
        encoder.setByteBuffer(buffer);
        Transfer transfer = new Transfer();
        transfer.setHandle(UnsignedInteger.valueOf(handle));
        transfer.setDeliveryId(UnsignedInteger.ZERO);
        transfer.setDeliveryTag(new Binary(new byte[] {1}));
        transfer.setMessageFormat(UnsignedInteger.ZERO);
        encoder.writeObject(transfer);
        encoder.writeObject(new Data(new Binary(new byte[] {1, 2, 3})));
        int size = buffer.position();
        buffer.putInt(0, size);
        buffer.put(4, (byte) 2);
        buffer.put(5, (byte) 0);
        buffer.putShort(6, (short) 0);
        byte[] frame = new byte[size];
        buffer.flip();
        buffer.get(frame);
        return frame;
    }
}
