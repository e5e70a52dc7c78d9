package org.acslifecycle.emulators.servicebus.topology;

import java.util.Objects;

/** A named rule of a subscription; only its filter is modelled (rule actions are not supported). */
public record SubscriptionRule(String name, SubscriptionFilter filter) {
    /** The rule every subscription gets when none is configured. */
    public static final SubscriptionRule DEFAULT = new SubscriptionRule("$Default", new SubscriptionFilter.TrueFilter());

    public SubscriptionRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A rule needs a name");
        }
        Objects.requireNonNull(filter, "filter");
    }
}
