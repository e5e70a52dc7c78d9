package org.acslifecycle.emulators.servicebus.amqp;

import java.nio.BufferOverflowException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.acslifecycle.emulators.servicebus.broker.BrokerMessage;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Header;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.codec.ReadableBuffer;
import org.apache.qpid.proton.message.Message;

/** Turns wire bytes into messages and stored messages into what the SDKs expect on delivery and peek. */
final class MessageCodec {
    /** message-format of a batch: the body is a sequence of data sections, each a whole encoded message. */
    static final int BATCH_MESSAGE_FORMAT = 0x80013700;

    private static final Symbol SEQUENCE_NUMBER = Symbol.valueOf("x-opt-sequence-number");
    private static final Symbol ENQUEUE_SEQUENCE_NUMBER = Symbol.valueOf("x-opt-enqueue-sequence-number");
    private static final Symbol ENQUEUED_TIME = Symbol.valueOf("x-opt-enqueued-time");
    private static final Symbol LOCKED_UNTIL = Symbol.valueOf("x-opt-locked-until");
    private static final Symbol MESSAGE_STATE = Symbol.valueOf("x-opt-message-state");
    private static final Symbol SCHEDULED_ENQUEUE_TIME = Symbol.valueOf("x-opt-scheduled-enqueue-time");
    private static final long MAX_UINT = 0xFFFF_FFFFL;

    private final DecoderImpl decoder = new DecoderImpl();

    MessageCodec() {
        AMQPDefinedTypes.registerAllTypes(decoder, new EncoderImpl(decoder));
    }

    Message decode(byte[] bytes, int offset, int length) {
        Message message = Message.Factory.create();
        message.decode(bytes, offset, length);
        return message;
    }

    /** The messages of a batch transfer, in section order; envelope sections are ignored. */
    List<Message> unpackBatch(byte[] bytes) {
        ReadableBuffer buffer = ReadableBuffer.ByteBufferReader.wrap(bytes);
        decoder.setBuffer(buffer);
        List<Message> messages = new ArrayList<>();
        try {
            while (buffer.hasRemaining()) {
                Object section = decoder.readObject();
                if (section instanceof Data data) {
                    Binary b = data.getValue();
                    messages.add(decode(b.getArray(), b.getArrayOffset(), b.getLength()));
                }
            }
        } finally {
            decoder.setBuffer(null);
        }
        return messages;
    }

    /**
     * The message as a receiver sees it: the client's sections plus a header (the Java SDK fails without one)
     * and the broker annotations with the exact AMQP types the SDK casts to (long, timestamp, int).
     */
    byte[] encode(BrokerMessage m, int headerDeliveryCount, Instant lockedUntil) {
        Message source = m.content();
        Message out = Message.Factory.create();
        Header header = new Header();
        Header sent = source.getHeader();
        if (sent != null) {
            header.setDurable(sent.getDurable());
            header.setPriority(sent.getPriority());
            header.setTtl(sent.getTtl());
        }
        Duration ttl = timeToLive(m);
        if (header.getTtl() == null && ttl != null && ttl.toMillis() <= MAX_UINT) {
            // The SDKs compute ExpiresAt as enqueued time + header ttl; without it they report the enqueued time.
            header.setTtl(UnsignedInteger.valueOf(ttl.toMillis()));
        }
        header.setDeliveryCount(UnsignedInteger.valueOf(headerDeliveryCount));
        out.setHeader(header);

        Map<Symbol, Object> annotations = new HashMap<>();
        if (source.getMessageAnnotations() != null && source.getMessageAnnotations().getValue() != null) {
            annotations.putAll(source.getMessageAnnotations().getValue());
        }
        annotations.put(SEQUENCE_NUMBER, m.sequenceNumber());
        annotations.put(ENQUEUE_SEQUENCE_NUMBER, m.sequenceNumber());
        annotations.put(ENQUEUED_TIME, Date.from(m.enqueuedTime()));
        annotations.put(MESSAGE_STATE, m.state().wireValue());
        if (lockedUntil != null) {
            annotations.put(LOCKED_UNTIL, Date.from(lockedUntil));
        }
        if (m.scheduledEnqueueTime() != null) {
            annotations.put(SCHEDULED_ENQUEUE_TIME, Date.from(m.scheduledEnqueueTime()));
        }
        out.setMessageAnnotations(new MessageAnnotations(annotations));
        out.setProperties(source.getProperties());
        if (m.propertyChanges().isEmpty()) {
            out.setApplicationProperties(source.getApplicationProperties());
        } else {
            Map<String, Object> merged = new LinkedHashMap<>();
            if (source.getApplicationProperties() != null && source.getApplicationProperties().getValue() != null) {
                merged.putAll(source.getApplicationProperties().getValue());
            }
            merged.putAll(m.propertyChanges());
            out.setApplicationProperties(new ApplicationProperties(merged));
        }
        out.setBody(source.getBody());
        out.setFooter(source.getFooter());
        return toBytes(out);
    }

    private static Duration timeToLive(BrokerMessage m) {
        if (m.expiresAt() == null || m.enqueuedTime() == null) {
            return null;
        }
        return Duration.between(m.enqueuedTime(), m.expiresAt());
    }

    /** The exact bytes of a Binary, which may be a view into a larger array. */
    static byte[] bytes(Binary binary) {
        return Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(), binary.getArrayOffset() + binary.getLength());
    }

    static byte[] toBytes(Message message) {
        int size = 1024;
        if (message.getBody() instanceof Data data && data.getValue() != null) {
            size += data.getValue().getLength();
        }
        while (true) {
            byte[] buffer = new byte[size];
            try {
                int written = message.encode(buffer, 0, size);
                return Arrays.copyOf(buffer, written);
            } catch (BufferOverflowException e) {
                size *= 2;
            }
        }
    }
}
