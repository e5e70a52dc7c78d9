package org.acslifecycle.emulators.servicebus.topology;

import java.util.Objects;

/** A queue: a name and its settings. */
public record QueueDefinition(String name, EntitySettings settings) {
    public QueueDefinition {
        TopologyNames.requireValid(name, "queue");
        Objects.requireNonNull(settings, "settings");
    }
}
