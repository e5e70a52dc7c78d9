package org.acslifecycle.emulators.servicebus;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import java.time.Duration;
import java.util.List;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.QueueDefinition;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionDefinition;
import org.acslifecycle.emulators.servicebus.topology.TopicDefinition;
import org.acslifecycle.emulators.servicebus.topology.Topology;

/** Entities with short locks and time-outs so the suite stays fast, and SDK clients with short try time-outs. */
public final class TestTopologies {
    static final EntitySettings FAST = EntitySettings.defaults().withLockDuration(Duration.ofSeconds(5)).withMaxDeliveryCount(3);

    private TestTopologies() {
    }

    static QueueDefinition queue(String name) {
        return new QueueDefinition(name, FAST);
    }

    static QueueDefinition queue(String name, EntitySettings settings) {
        return new QueueDefinition(name, settings);
    }

    static TopicDefinition topic(String name, String... subscriptions) {
        return new TopicDefinition(name, false, Duration.ofSeconds(20), Duration.ofHours(1),
                java.util.Arrays.stream(subscriptions).map(s -> new SubscriptionDefinition(s, FAST)).toList());
    }

    static Topology of(List<QueueDefinition> queues, List<TopicDefinition> topics) {
        return new Topology("sbemulatorns", queues, topics);
    }

    static ServiceBusEmulator start(Topology topology) throws Exception {
        return ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(topology, 0));
    }

    /** A builder with a short try time-out: a hang shows up as a fast failure, not a 60 s wait. */
    static ServiceBusClientBuilder client(ServiceBusEmulator emulator) {
        return client(emulator.connectionString());
    }

    public static ServiceBusClientBuilder client(String connectionString) {
        return new ServiceBusClientBuilder().connectionString(connectionString)
                .retryOptions(new AmqpRetryOptions().setTryTimeout(Duration.ofSeconds(10)).setMaxRetries(1)
                        .setDelay(Duration.ofMillis(200)).setMode(AmqpRetryMode.FIXED));
    }
}
