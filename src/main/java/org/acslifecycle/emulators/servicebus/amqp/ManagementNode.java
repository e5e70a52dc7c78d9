package org.acslifecycle.emulators.servicebus.amqp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.acslifecycle.emulators.servicebus.broker.Broker;
import org.acslifecycle.emulators.servicebus.broker.BrokerException;
import org.acslifecycle.emulators.servicebus.broker.BrokerMessage;
import org.acslifecycle.emulators.servicebus.broker.MessageEntity;
import org.acslifecycle.emulators.servicebus.broker.Outcome;
import org.acslifecycle.emulators.servicebus.broker.SendTarget;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionFilter;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionRule;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.UnknownDescribedType;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code <entity>/$management} node. Response shapes follow what the Java SDK casts to: arrays (not lists)
 * of timestamps and longs, a list of maps for messages.
 */
final class ManagementNode {
    /** DEBUG: each operation, so lock renewals and settlements through $management show in a timeline. */
    private static final Logger LOG = LoggerFactory.getLogger(ManagementNode.class);
    private static final UnsignedLong RULE_DESCRIPTION = UnsignedLong.valueOf(0x0000013700000004L);
    private static final UnsignedLong EMPTY_RULE_ACTION = UnsignedLong.valueOf(0x0000013700000005L);
    // The Java SDK 7.17 compares filter descriptors with these values (one hex digit shorter than the rule and
    // action descriptors); the SDK is what must decode them, so they are copied exactly.
    private static final UnsignedLong TRUE_FILTER = UnsignedLong.valueOf(0x000001370000007L);
    private static final UnsignedLong FALSE_FILTER = UnsignedLong.valueOf(0x000001370000008L);
    private static final UnsignedLong CORRELATION_FILTER = UnsignedLong.valueOf(0x000001370000009L);
    private final Broker broker;
    private final MessageCodec codec;

    ManagementNode(Broker broker, MessageCodec codec) {
        this.broker = broker;
        this.codec = codec;
    }

    /**
     * Answers one request. With a transaction id, schedule-message and update-disposition are enlisted in the
     * transaction; the other operations are applied at once.
     */
    Message handle(String entityPath, Message request, byte[] txnId, Object owner, Instant now) {
        try {
            Map<?, ?> props = request.getApplicationProperties() == null ? Map.of()
                    : request.getApplicationProperties().getValue();
            String operation = String.valueOf(props.get("operation"));
            LOG.debug("{} on {}", operation, entityPath);
            Map<?, ?> body = request.getBody() instanceof AmqpValue v && v.getValue() instanceof Map<?, ?> m ? m : Map.of();
            return switch (operation) {
                case "com.microsoft:renew-lock" -> renewLock(entityPath, body, now);
                case "com.microsoft:renew-session-lock" -> Responses.ok(Map.of("expiration",
                        Date.from(broker.receivable(entityPath).renewSessionLock(string(body, "session-id"), now))));
                case "com.microsoft:peek-message" -> peek(entityPath, body);
                case "com.microsoft:schedule-message" -> schedule(entityPath, body, txnId, now);
                case "com.microsoft:cancel-scheduled-message" -> {
                    broker.sendTarget(entityPath).cancelScheduled(longs(body.get("sequence-numbers")));
                    yield Responses.ok(Map.of());
                }
                case "com.microsoft:receive-by-sequence-number" -> receiveDeferred(entityPath, body, owner, now);
                case "com.microsoft:update-disposition" -> updateDisposition(entityPath, body, txnId, now);
                case "com.microsoft:get-session-state" -> {
                    byte[] state = broker.receivable(entityPath).sessionState(string(body, "session-id"));
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("session-state", state == null ? null : new Binary(state));
                    yield Responses.ok(result);
                }
                case "com.microsoft:set-session-state" -> {
                    Object state = body.get("session-state");
                    broker.receivable(entityPath).setSessionState(string(body, "session-id"),
                            state instanceof Binary b ? copy(b) : null);
                    yield Responses.ok(Map.of());
                }
                case "com.microsoft:add-rule" -> addRule(entityPath, body);
                case "com.microsoft:remove-rule" -> {
                    broker.receivable(entityPath).removeRule(string(body, "rule-name"), broker.host());
                    yield Responses.ok(Map.of());
                }
                case "com.microsoft:enumerate-rules" -> enumerateRules(entityPath, body);
                default -> Responses.error(new BrokerException("amqp:not-implemented", 501,
                        "The management operation '" + operation + "' is not supported by this emulator."));
            };
        } catch (BrokerException e) {
            return Responses.error(e);
        } catch (RuntimeException e) {
            return Responses.error(BrokerException.argument("The request could not be processed: " + e.getClass().getSimpleName()));
        }
    }

    private Message renewLock(String entityPath, Map<?, ?> body, Instant now) {
        MessageEntity entity = broker.receivable(entityPath);
        List<UUID> tokens = uuids(body.get("lock-tokens"));
        Date[] expirations = new Date[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            expirations[i] = Date.from(entity.renewLock(tokens.get(i), now));
        }
        return Responses.ok(Map.of("expirations", expirations));
    }

    private Message peek(String entityPath, Map<?, ?> body) {
        MessageEntity entity = broker.receivable(entityPath);
        long from = ((Number) body.get("from-sequence-number")).longValue();
        int count = ((Number) body.get("message-count")).intValue();
        String sessionId = body.get("session-id") == null ? null : String.valueOf(body.get("session-id"));
        List<BrokerMessage> found = entity.peek(from, count, sessionId);
        if (found.isEmpty()) {
            return Responses.of(204, "No messages available", null);
        }
        List<Object> messages = new ArrayList<>();
        for (BrokerMessage m : found) {
            messages.add(Map.of("message", new Binary(codec.encode(m, m.deliveryCount(), null))));
        }
        return Responses.ok(Map.of("messages", messages));
    }

    private Message schedule(String entityPath, Map<?, ?> body, byte[] txnId, Instant now) {
        SendTarget target = broker.sendTarget(entityPath);
        List<Message> messages = new ArrayList<>();
        for (Object item : (Iterable<?>) body.get("messages")) {
            Binary encoded = (Binary) ((Map<?, ?>) item).get("message");
            messages.add(codec.decode(encoded.getArray(), encoded.getArrayOffset(), encoded.getLength()));
        }
        long[] scheduled;
        if (txnId != null) {
            target.check(messages);
            scheduled = target.reserveSequenceNumbers(messages.size());
            long[] reserved = scheduled;
            broker.transactions().enlist(txnId, () -> target.scheduleReserved(messages, reserved, broker.now()));
        } else {
            scheduled = target.schedule(messages, now);
        }
        // Boxed: proton-j's map encoder cannot size a primitive array; the SDK still decodes it as long[].
        Long[] sequenceNumbers = Arrays.stream(scheduled).boxed().toArray(Long[]::new);
        return Responses.ok(Map.of("sequence-numbers", sequenceNumbers));
    }

    private Message receiveDeferred(String entityPath, Map<?, ?> body, Object owner, Instant now) {
        MessageEntity entity = broker.receivable(entityPath);
        Object mode = body.get("receiver-settle-mode");
        // 1 = peek-lock (the SDK's default), 0 = receive-and-delete.
        boolean peekLock = mode == null || ((Number) mode).intValue() == 1;
        List<Object> messages = new ArrayList<>();
        String sessionId = stringOrNull(body, "session-id");
        for (BrokerMessage m : entity.receiveDeferred(longs(body.get("sequence-numbers")), peekLock, sessionId, owner, now)) {
            Map<String, Object> item = new LinkedHashMap<>();
            int previous = peekLock ? m.deliveryCount() - 1 : m.deliveryCount();
            item.put("message", new Binary(codec.encode(m, previous, peekLock ? m.lockedUntil() : null)));
            if (peekLock) {
                item.put("lock-token", m.lockToken());
            }
            messages.add(item);
        }
        return Responses.ok(Map.of("messages", messages));
    }

    private Message updateDisposition(String entityPath, Map<?, ?> body, byte[] txnId, Instant now) {
        MessageEntity entity = broker.receivable(entityPath);
        String status = string(body, "disposition-status");
        Map<String, Object> props = stringKeys(body.get("properties-to-modify"));
        Outcome outcome = switch (status) {
            case "completed" -> new Outcome.Complete();
            case "abandoned" -> new Outcome.Abandon(props);
            case "defered", "deferred" -> new Outcome.Defer(props);
            case "suspended" -> new Outcome.DeadLetter(stringOrNull(body, "deadletter-reason"),
                    stringOrNull(body, "deadletter-description"), props);
            case "released" -> new Outcome.Release();
            default -> throw BrokerException.argument("Unknown disposition-status '" + status + "'.");
        };
        String sessionId = stringOrNull(body, "session-id");
        for (UUID token : uuids(body.get("lock-tokens"))) {
            try {
                if (txnId != null) {
                    entity.checkLock(token, null, now);
                    broker.transactions().enlist(txnId, () -> entity.settle(token, outcome, null, broker.now()));
                    continue;
                }
                entity.settle(token, outcome, null, now);
            } catch (BrokerException e) {
                // A session receiver settles here once its link is gone; what it lost is the session lock.
                if (sessionId != null && e.condition().equals("com.microsoft:message-lock-lost")) {
                    throw BrokerException.sessionLockLost(sessionId);
                }
                throw e;
            }
        }
        return Responses.ok(Map.of());
    }

    private Message addRule(String entityPath, Map<?, ?> body) {
        MessageEntity subscription = broker.receivable(entityPath);
        String name = string(body, "rule-name");
        Map<?, ?> description = body.get("rule-description") instanceof Map<?, ?> m ? m : Map.of();
        if (description.get("sql-rule-action") instanceof Map<?, ?> action && action.get("expression") != null) {
            throw new BrokerException("amqp:not-implemented", 501, "Rule actions are not supported by this emulator.");
        }
        SubscriptionFilter filter;
        if (description.get("correlation-filter") instanceof Map<?, ?> c) {
            filter = new SubscriptionFilter.CorrelationFilter(text(c, "correlation-id"), text(c, "message-id"), text(c, "to"),
                    text(c, "reply-to"), text(c, "label"), text(c, "session-id"), text(c, "reply-to-session-id"),
                    text(c, "content-type"), stringKeys(c.get("properties")));
        } else if (description.get("sql-filter") instanceof Map<?, ?> sql) {
            try {
                filter = SubscriptionFilter.sql(text(sql, "expression"));
            } catch (IllegalArgumentException e) {
                throw new BrokerException("amqp:not-implemented", 501, e.getMessage());
            }
        } else {
            throw BrokerException.argument("The rule description has neither a sql-filter nor a correlation-filter.");
        }
        subscription.addRule(new SubscriptionRule(name, filter));
        return Responses.ok(Map.of());
    }

    /** Rules as the SDK decodes them: described types with the service's numeric descriptors. */
    private Message enumerateRules(String entityPath, Map<?, ?> body) {
        List<SubscriptionRule> rules = broker.receivable(entityPath).rules();
        int skip = body.get("skip") instanceof Number n ? n.intValue() : 0;
        int top = body.get("top") instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
        List<Object> encoded = new ArrayList<>();
        for (SubscriptionRule rule : rules.subList(Math.min(skip, rules.size()), rules.size())) {
            if (encoded.size() >= top) {
                break;
            }
            encoded.add(Map.of("rule-description", new UnknownDescribedType(RULE_DESCRIPTION,
                    Arrays.asList(describe(rule.filter()), new UnknownDescribedType(EMPTY_RULE_ACTION, List.of()), rule.name()))));
        }
        if (encoded.isEmpty()) {
            return Responses.of(204, "No rules", null);
        }
        return Responses.ok(Map.of("rules", encoded));
    }

    private static UnknownDescribedType describe(SubscriptionFilter filter) {
        if (filter instanceof SubscriptionFilter.CorrelationFilter c) {
            return new UnknownDescribedType(CORRELATION_FILTER, Arrays.asList(c.correlationId(), c.messageId(), c.to(),
                    c.replyTo(), c.label(), c.sessionId(), c.replyToSessionId(), c.contentType(), c.properties()));
        }
        if (filter instanceof SubscriptionFilter.FalseFilter) {
            return new UnknownDescribedType(FALSE_FILTER, List.of());
        }
        return new UnknownDescribedType(TRUE_FILTER, List.of());
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString();
    }

    static Map<String, Object> stringKeys(Object map) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (map instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    result.put(k.toString(), v);
                }
            });
        }
        return result;
    }

    private static String string(Map<?, ?> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            throw BrokerException.argument("The request is missing '" + key + "'.");
        }
        return value.toString();
    }

    private static String stringOrNull(Map<?, ?> body, String key) {
        Object value = body.get(key);
        return value == null ? null : value.toString();
    }

    private static List<UUID> uuids(Object value) {
        List<UUID> result = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object o : array) {
                result.add((UUID) o);
            }
        } else if (value instanceof Iterable<?> list) {
            list.forEach(o -> result.add((UUID) o));
        } else if (value instanceof UUID uuid) {
            result.add(uuid);
        }
        return result;
    }

    private static long[] longs(Object value) {
        if (value instanceof long[] array) {
            return array;
        }
        List<Long> result = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object o : array) {
                result.add(((Number) o).longValue());
            }
        } else if (value instanceof Iterable<?> list) {
            list.forEach(o -> result.add(((Number) o).longValue()));
        } else if (value instanceof Number n) {
            result.add(n.longValue());
        }
        return result.stream().mapToLong(Long::longValue).toArray();
    }

    /** Binary views may share a larger buffer; keep an exact copy. */
    private static byte[] copy(Binary b) {
        return Arrays.copyOfRange(b.getArray(), b.getArrayOffset(), b.getArrayOffset() + b.getLength());
    }
}
