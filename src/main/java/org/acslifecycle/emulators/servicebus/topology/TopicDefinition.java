package org.acslifecycle.emulators.servicebus.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A topic: duplicate detection and default TTL live on the topic, everything else on its subscriptions. */
public record TopicDefinition(String name, boolean requiresDuplicateDetection, Duration duplicateDetectionHistoryTimeWindow,
        Duration defaultMessageTimeToLive, List<SubscriptionDefinition> subscriptions) {
    public TopicDefinition {
        TopologyNames.requireValid(name, "topic");
        Objects.requireNonNull(duplicateDetectionHistoryTimeWindow, "DuplicateDetectionHistoryTimeWindow");
        Objects.requireNonNull(defaultMessageTimeToLive, "DefaultMessageTimeToLive");
        subscriptions = List.copyOf(subscriptions);
        TopologyNames.requireUnique(subscriptions.stream().map(SubscriptionDefinition::name).toList(),
                "subscription of topic " + name);
    }
}
