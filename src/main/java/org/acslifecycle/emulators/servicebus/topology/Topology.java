package org.acslifecycle.emulators.servicebus.topology;

import java.util.ArrayList;
import java.util.List;

/** The entities one emulated namespace holds. Names are unique case-insensitively, as in Service Bus. */
public record Topology(String namespace, List<QueueDefinition> queues, List<TopicDefinition> topics) {
    public Topology {
        namespace = namespace == null || namespace.isBlank() ? "sbemulatorns" : namespace;
        queues = List.copyOf(queues);
        topics = List.copyOf(topics);
        List<String> names = new ArrayList<>();
        queues.forEach(q -> names.add(q.name()));
        topics.forEach(t -> names.add(t.name()));
        TopologyNames.requireUnique(names, "queue or topic");
    }
}
