package org.acslifecycle.emulators.servicebus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ReceiverSettleMode;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.message.Message;

/**
 * A bare proton-j client over a blocking socket, for what the SDK cannot do on purpose: skip SASL, stay silent,
 * vanish without closing, send oversized or stray frames.
 */
final class RawAmqpClient implements AutoCloseable {
    final Socket socket;
    final Transport transport = Proton.transport();
    final Connection connection = Proton.connection();
    private final InputStream in;
    private final OutputStream out;
    long bytesReceived;
    boolean endOfStream;
    private Session session;

    RawAmqpClient(int port, boolean useSasl, int idleTimeoutMs) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        if (useSasl) {
            Sasl sasl = transport.sasl();
            sasl.client();
            sasl.setMechanisms("ANONYMOUS");
        }
        if (idleTimeoutMs > 0) {
            transport.setIdleTimeout(idleTimeoutMs);
        }
        connection.setContainer("raw-test-client");
        connection.setHostname("127.0.0.1");
        transport.bind(connection);
        connection.open();
    }

    /** Moves bytes both ways until the condition holds or the time is up; returns the condition's last value. */
    boolean pumpUntil(BooleanSupplier condition, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        byte[] buffer = new byte[64 * 1024];
        while (System.nanoTime() < deadline) {
            transport.tick(TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
            flush();
            if (condition.getAsBoolean()) {
                return true;
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                endOfStream = true;
                transport.close_tail();
                return condition.getAsBoolean();
            }
            bytesReceived += n;
            int offset = 0;
            while (offset < n) {
                ByteBuffer tail = transport.tail();
                int chunk = Math.min(tail.remaining(), n - offset);
                tail.put(buffer, offset, chunk);
                offset += chunk;
                transport.process();
            }
        }
        return condition.getAsBoolean();
    }

    void flush() throws IOException {
        int pending;
        while ((pending = transport.pending()) > 0) {
            ByteBuffer head = transport.head();
            byte[] bytes = new byte[pending];
            head.get(bytes);
            transport.pop(pending);
            out.write(bytes);
        }
        out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    boolean isOpen() {
        return connection.getRemoteState() == EndpointState.ACTIVE;
    }

    Session session() throws IOException {
        if (session == null) {
            session = connection.session();
            session.open();
            pumpUntil(() -> session.getRemoteState() == EndpointState.ACTIVE, 5_000);
        }
        return session;
    }

    /** put-token on $cbs with a SAS token for the given key; returns the status code of the answer. */
    int putToken(String keyName, String key, String entity) throws Exception {
        Sender requests = session().sender("cbs:sender");
        requests.setTarget(target("$cbs"));
        requests.setSource(new Source());
        requests.setSenderSettleMode(SenderSettleMode.SETTLED);
        requests.open();
        Receiver replies = session().receiver("cbs:receiver");
        replies.setSource(source("$cbs"));
        replies.setTarget(target("cbs-client-reply-to"));
        replies.open();
        replies.flow(1);
        pumpUntil(() -> requests.getCredit() > 0 && replies.getRemoteState() == EndpointState.ACTIVE, 5_000);

        Message request = Message.Factory.create();
        request.setMessageId(UnsignedLong.valueOf(1));
        request.setReplyTo("cbs-client-reply-to");
        Map<String, Object> props = new HashMap<>();
        props.put("operation", "put-token");
        props.put("type", "servicebus.windows.net:sastoken");
        props.put("name", "amqp://127.0.0.1/" + entity);
        request.setApplicationProperties(new ApplicationProperties(props));
        request.setBody(new AmqpValue(sasToken(keyName, key, "amqp://127.0.0.1/" + entity)));
        send(requests, request, true);
        pumpUntil(() -> replies.current() != null && !replies.current().isPartial(), 5_000);
        Message reply = read(replies);
        return (Integer) reply.getApplicationProperties().getValue().get("status-code");
    }

    Receiver peekLockReceiver(String entity, int credit) throws IOException {
        Receiver receiver = session().receiver("raw-receiver-" + System.nanoTime());
        receiver.setSource(source(entity));
        receiver.setTarget(target("raw-client"));
        receiver.setSenderSettleMode(SenderSettleMode.UNSETTLED);
        receiver.setReceiverSettleMode(ReceiverSettleMode.SECOND);
        receiver.open();
        receiver.flow(credit);
        return receiver;
    }

    Sender sender(String entity) throws IOException {
        Sender sender = session().sender("raw-sender-" + System.nanoTime());
        sender.setTarget(target(entity));
        sender.setSource(new Source());
        sender.open();
        pumpUntil(() -> sender.getCredit() > 0, 5_000);
        return sender;
    }

    Delivery send(Sender sender, Message message, boolean settle) throws IOException {
        byte[] bytes = new byte[1024 + (message.getBody() instanceof org.apache.qpid.proton.amqp.messaging.Data d
                ? d.getValue().getLength() : 0)];
        int length = message.encode(bytes, 0, bytes.length);
        Delivery delivery = sender.delivery(Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
        sender.send(bytes, 0, length);
        if (settle) {
            delivery.settle();
        }
        sender.advance();
        flush();
        return delivery;
    }

    static Message read(Receiver receiver) {
        Delivery delivery = receiver.current();
        byte[] bytes = new byte[delivery.pending()];
        receiver.recv(bytes, 0, bytes.length);
        receiver.advance();
        Message message = Message.Factory.create();
        message.decode(bytes, 0, bytes.length);
        return message;
    }

    static Source source(String address) {
        Source source = new Source();
        source.setAddress(address);
        return source;
    }

    static Target target(String address) {
        Target target = new Target();
        target.setAddress(address);
        return target;
    }

    static String sasToken(String keyName, String key, String audience) {
        return SasTokens.token(keyName, key, URLEncoder.encode(audience, StandardCharsets.UTF_8),
                Instant.now().plusSeconds(600).getEpochSecond());
    }

    /** Drops the TCP connection without an AMQP close: what a crashed client looks like. */
    void vanish() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static Symbol symbol(String s) {
        return Symbol.valueOf(s);
    }
}
