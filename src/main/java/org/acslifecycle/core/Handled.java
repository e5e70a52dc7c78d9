package org.acslifecycle.core;

import java.util.List;
import java.util.Optional;

/** What intake made of one event. Every variant is an acknowledgement: the message can be settled. */
public sealed interface Handled {

    LifecycleEvent event();

    /**
     * The decision is recorded: {@code record} is the person's new record, {@code operations} the ACS work it
     * put in the journal. {@code outcomeNow} is the outcome to send at once because no ACS work stands
     * between the decision and its effect (a reinstatement of someone who kept their identity, say); the
     * executor sends the others when ACS acknowledges them. {@code late}: the event was older than the person's
     * newest and changed the outcome once inserted into their history.
     */
    record Applied(LifecycleEvent event, Decision.Transition transition, PersonRecord record,
            List<Operation.Request> operations, Optional<OutcomeType> outcomeNow, boolean late) implements Handled {
        public Applied {
            operations = List.copyOf(operations);
        }
    }

    /**
     * Future-dated (DESIGN §3, effective dating): the person's pending change, applied at {@code effectiveAt}; until
     * then nothing changes. {@code current} is the person's record as it stays until then.
     */
    record Scheduled(LifecycleEvent event, java.time.Instant effectiveAt, Optional<PersonRecord> current)
            implements Handled {}

    /** Older than the person's newest event, and changing nothing once inserted into their history: audited. */
    record Stale(LifecycleEvent event, Optional<PersonRecord> current) implements Handled {}

    /**
     * Already handled (same source and id): audited, no second effect. {@code outcome} is the outcome sent at
     * intake the first time, if any, to be sent again in case it never went out.
     */
    record Duplicate(LifecycleEvent event, Optional<OutcomeType> outcome, Optional<PersonRecord> current)
            implements Handled {}
}
