package org.acslifecycle.emulators.servicebus.topology;

import java.util.Objects;

/** A subscription of a topic. Rules (filters) are not modelled: every subscription receives every message. */
public record SubscriptionDefinition(String name, EntitySettings settings) {
    public SubscriptionDefinition {
        TopologyNames.requireValid(name, "subscription");
        Objects.requireNonNull(settings, "settings");
    }
}
