package org.acslifecycle.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What to do with a message whose handling failed (DESIGN §5). Decided by {@link RecoveryPolicy}, carried
 * out by the messaging adapter; immediate retries have already happened inside the failing call.
 */
public sealed interface Recovery {

    /** Try again after {@code delay}, as delayed attempt number {@code attempt} (1-based). */
    record RetryLater(Duration delay, int attempt) implements Recovery {
        public RetryLater {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** Move the message to the dead-letter queue with a reason code and a description (never the payload). */
    record DeadLetter(String reason, String description) implements Recovery {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Nothing will succeed until something outside is fixed: stop taking messages, report unhealthy, probe
     * every {@code probeEvery}; the message itself comes back without counting as an attempt.
     */
    record PauseIntake(Duration probeEvery, String why) implements Recovery {
        public PauseIntake {
            Objects.requireNonNull(probeEvery, "probeEvery");
            Objects.requireNonNull(why, "why");
        }
    }

    /** The dead-letter reason codes of DESIGN §5. */
    final class Reasons {
        public static final String INVALID_EVENT = "InvalidEvent";
        public static final String UNSUPPORTED_EVENT_TYPE = "UnsupportedEventType";
        public static final String RETRIES_EXHAUSTED = "RetriesExhausted";
        public static final String PERMANENT_FAILURE = "PermanentFailure";

        private Reasons() {}
    }
}
