package org.acslifecycle.emulators.servicebus.broker;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.QueueDefinition;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionDefinition;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionRule;
import org.acslifecycle.emulators.servicebus.topology.TopicDefinition;
import org.acslifecycle.emulators.servicebus.topology.Topology;

/**
 * The namespace: resolves addresses to entities and runs time-driven work. Addresses are matched
 * case-insensitively because the SDKs spell the fixed segments differently ({@code subscriptions} vs
 * {@code Subscriptions}, {@code $deadletterqueue} vs {@code $DeadLetterQueue}).
 */
public final class Broker {
    private final String host;
    private final Clock clock;
    private final Map<String, SendTarget> sendTargets = new LinkedHashMap<>();
    private final Map<String, MessageEntity> receivables = new LinkedHashMap<>();
    private final List<MessageEntity> entities = new ArrayList<>();
    private final Transactions transactions = new Transactions();

    public Broker(Topology topology, String host, Clock clock) {
        this.host = host;
        this.clock = clock;
        for (QueueDefinition q : topology.queues()) {
            MessageEntity queue = new MessageEntity(q.name(), q.settings(), true, List.of(SubscriptionRule.DEFAULT));
            register(queue);
            EntitySettings s = q.settings();
            sendTargets.put(key(q.name()), new SendTarget(q.name(), false, List.of(queue), s.defaultMessageTimeToLive(),
                    s.requiresDuplicateDetection() ? new DuplicateDetector(s.duplicateDetectionHistoryTimeWindow()) : null));
        }
        for (TopicDefinition t : topology.topics()) {
            List<MessageEntity> subscriptions = new ArrayList<>();
            for (SubscriptionDefinition sub : t.subscriptions()) {
                MessageEntity subscription = new MessageEntity(t.name() + "/subscriptions/" + sub.name(), sub.settings(),
                        true, sub.rules());
                register(subscription);
                subscriptions.add(subscription);
            }
            sendTargets.put(key(t.name()), new SendTarget(t.name(), true, subscriptions, t.defaultMessageTimeToLive(),
                    t.requiresDuplicateDetection() ? new DuplicateDetector(t.duplicateDetectionHistoryTimeWindow()) : null));
        }
        wireForwarding();
    }

    /** Resolves ForwardTo / ForwardDeadLetteredMessagesTo names; an unknown or self target is a config error. */
    private void wireForwarding() {
        for (MessageEntity entity : entities) {
            entity.forwarding(forwardTarget(entity, entity.settings().forwardTo(), "ForwardTo"),
                    forwardTarget(entity, entity.settings().forwardDeadLetteredMessagesTo(), "ForwardDeadLetteredMessagesTo"));
        }
    }

    private SendTarget forwardTarget(MessageEntity from, String name, String property) {
        if (name == null) {
            return null;
        }
        SendTarget target = sendTargets.get(key(name));
        if (target == null || key(name).equals(key(from.path()))) {
            throw new IllegalArgumentException(property + " of '" + from.path() + "' must name another queue or topic, was '"
                    + name + "'");
        }
        return target;
    }

    private void register(MessageEntity entity) {
        entities.add(entity);
        receivables.put(key(entity.path()), entity);
        receivables.put(key(entity.deadLetterQueue().path()), entity.deadLetterQueue());
    }

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    public Transactions transactions() {
        return transactions;
    }

    public Instant now() {
        return clock.instant();
    }

    public String host() {
        return host;
    }

    public SendTarget sendTarget(String path) {
        SendTarget target = path == null ? null : sendTargets.get(key(path));
        if (target == null) {
            throw BrokerException.entityNotFound(host, path);
        }
        return target;
    }

    public MessageEntity receivable(String path) {
        MessageEntity entity = path == null ? null : receivables.get(key(path));
        if (entity == null) {
            throw BrokerException.entityNotFound(host, path);
        }
        return entity;
    }

    /** True if the path names a queue, topic, subscription or dead-letter queue. */
    public boolean exists(String path) {
        return path != null && (sendTargets.containsKey(key(path)) || receivables.containsKey(key(path)));
    }

    public void sweep(Instant now) {
        for (SendTarget target : sendTargets.values()) {
            target.sweep(now);
        }
        for (MessageEntity entity : entities) {
            entity.sweep(now);
        }
    }

    public void releaseLocksOwnedBy(Object owner, Instant now) {
        for (MessageEntity entity : entities) {
            entity.releaseLocksOwnedBy(owner, now);
            entity.deadLetterQueue().releaseLocksOwnedBy(owner, now);
        }
    }

    public Collection<MessageEntity> entities() {
        return List.copyOf(entities);
    }

    public int scheduledOnTopic(String topic) {
        return sendTarget(topic).scheduledOnTopicCount();
    }
}
