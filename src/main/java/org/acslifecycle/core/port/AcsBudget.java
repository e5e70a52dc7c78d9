package org.acslifecycle.core.port;

import java.time.Duration;
import java.util.Objects;

/**
 * The ACS resource's per-operation quotas, shared by everything that calls ACS however many replicas run: a
 * call is made only with a permit from here, so the resource as a whole stays under its quota.
 */
public interface AcsBudget {

    /** Takes one permit for {@code call} if its budget has room now; never waits. */
    Permit tryTake(Call call);

    enum Call { CREATE_IDENTITY, ISSUE_TOKEN, REVOKE_TOKENS, DELETE_IDENTITY }

    /** Granted, or not before {@code retryAfter} from now. */
    record Permit(boolean granted, Duration retryAfter) {
        public Permit {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        public static final Permit GRANTED = new Permit(true, Duration.ZERO);

        public static Permit exhausted(Duration retryAfter) {
            return new Permit(false, retryAfter);
        }
    }
}
