package org.acslifecycle.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a person's deletion is due and when too many look like a wrong feed (DESIGN §3).
 *
 * @param grace              how long after the offboarding's effective time the deletion waits ({@code
 *                           offboarding.grace}); reversible until then
 * @param breakerWindow      the deletions falling due within this window (ahead, and done within it behind) are
 *                           what the breaker counts
 * @param breakerMaxDeletions more than this many opens the breaker
 * @param breakerMaxShare    so does more than this share of the live identities, once more than
 *                           {@code breakerMinDeletions} are counted (a share of a handful means nothing)
 * @param breakerMinDeletions the count at or below which the share alone never opens the breaker
 */
public record DeletionPolicy(Duration grace, Duration breakerWindow, int breakerMaxDeletions, double breakerMaxShare,
        int breakerMinDeletions) {

    /** A careful default: delete when the budget allows; hold more than 100 an hour, or 5 % once more than 10. */
    public static final DeletionPolicy DEFAULTS = new DeletionPolicy(Duration.ZERO, Duration.ofHours(1), 100, 0.05, 10);

    public DeletionPolicy {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(breakerWindow, "breakerWindow");
        if (grace.isNegative() || breakerWindow.isNegative() || breakerMaxDeletions < 0 || breakerMinDeletions < 0
                || !(breakerMaxShare >= 0 && breakerMaxShare <= 1)) {
            throw new IllegalArgumentException("deletion policy out of range: " + grace + ", " + breakerWindow
                    + ", " + breakerMaxDeletions + ", " + breakerMaxShare + ", " + breakerMinDeletions);
        }
    }

    /** When a cut-off's deletion is due. */
    public Instant deletionDue(Operation cutOff) {
        return cutOff.effectiveTime().plus(grace);
    }

    /** Whether {@code counted} deletions among {@code liveIdentities} open the breaker. */
    public boolean opens(long counted, long liveIdentities) {
        return counted > breakerMaxDeletions
                || (counted > breakerMinDeletions && counted > breakerMaxShare * Math.max(1, liveIdentities));
    }
}
