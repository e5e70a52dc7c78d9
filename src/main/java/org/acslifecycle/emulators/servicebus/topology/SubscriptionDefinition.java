package org.acslifecycle.emulators.servicebus.topology;

import java.util.List;
import java.util.Objects;

/**
 * A subscription of a topic. A message reaches it if any of its rules' filters matches; with no rules it gets
 * every message (the service's {@code $Default} rule).
 */
public record SubscriptionDefinition(String name, EntitySettings settings, List<SubscriptionRule> rules) {
    public SubscriptionDefinition {
        TopologyNames.requireValid(name, "subscription");
        Objects.requireNonNull(settings, "settings");
        rules = rules == null || rules.isEmpty() ? List.of(SubscriptionRule.DEFAULT) : List.copyOf(rules);
        TopologyNames.requireUnique(rules.stream().map(SubscriptionRule::name).toList(), "rule of subscription " + name);
    }

    public SubscriptionDefinition(String name, EntitySettings settings) {
        this(name, settings, List.of());
    }
}
