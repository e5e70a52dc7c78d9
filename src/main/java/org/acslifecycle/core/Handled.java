package org.acslifecycle.core;

import java.util.Optional;

/** What happened to one event. Every variant is an acknowledgement: the message can be settled. */
public sealed interface Handled {

    LifecycleEvent event();

    /** The transition is done in ACS and recorded; {@code record} is the person's new record. */
    record Applied(LifecycleEvent event, Decision.Transition transition, PersonRecord record) implements Handled {}

    /** Older than the person's last applied event: audited, no effect. */
    record Stale(LifecycleEvent event, PersonRecord current) implements Handled {}

    /**
     * Already handled (same source and id): audited, no second effect. {@code outcome} is the outcome the
     * first handling gave, to be sent again in case it never went out; {@code current} the record now.
     */
    record Duplicate(LifecycleEvent event, Optional<OutcomeType> outcome, Optional<PersonRecord> current)
            implements Handled {}
}
