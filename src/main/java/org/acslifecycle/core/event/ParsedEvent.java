package org.acslifecycle.core.event;

import java.util.Objects;
import org.acslifecycle.core.LifecycleEvent;

/** The outcome of reading one message: a valid lifecycle event, or the reason it is dead-lettered. */
public sealed interface ParsedEvent permits ParsedEvent.Accepted, ParsedEvent.Rejected {

    record Accepted(LifecycleEvent event) implements ParsedEvent {
        public Accepted {
            Objects.requireNonNull(event, "event");
        }
    }

    record Rejected(Rejection rejection) implements ParsedEvent {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
