package org.acslifecycle.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a token may live: what was asked for, cut at the person's pending termination (DESIGN §6, effective
 * dating). The token service and the operators' {@code token issue} both ask here, so no path hands out a token that
 * outlives a termination HR has already scheduled.
 */
public final class TokenLifetime {

    /** ACS's shortest token lifetime: a cap that leaves less than this cannot be honoured by ACS. */
    public static final Duration SHORTEST = Duration.ofMinutes(60);
    /** What ACS issues when no lifetime is asked for. */
    public static final Duration ACS_DEFAULT = Duration.ofHours(24);

    private TokenLifetime() {
    }

    /** The lifetime to ask ACS for, or that no token may be issued now. */
    public sealed interface Verdict permits Allowed, TooLate {}

    /**
     * @param lifetime what to ask ACS for; {@code null} when the caller asked for ACS's default and nothing caps it
     * @param cappedAt the termination that shortened it, if one did
     */
    public record Allowed(Duration lifetime, Optional<Instant> cappedAt) implements Verdict {}

    /** The termination is sooner than the shortest token ACS issues. */
    public record TooLate(Instant termination) implements Verdict {}

    /** @param asked the lifetime asked for, or {@code null} for ACS's default */
    public static Verdict cap(Duration asked, Optional<Instant> termination, Instant now) {
        Objects.requireNonNull(termination, "termination");
        if (termination.isEmpty()) {
            return new Allowed(asked, Optional.empty());
        }
        Duration left = Duration.between(now, termination.get());
        if (left.compareTo(SHORTEST) < 0) {
            return new TooLate(termination.get());
        }
        Duration wanted = asked == null ? ACS_DEFAULT : asked;
        // Whole minutes, down: ACS takes minutes, and rounding up would outlive the termination.
        return left.compareTo(wanted) < 0 ? new Allowed(Duration.ofMinutes(left.toMinutes()), termination)
                : new Allowed(asked, Optional.empty());
    }
}
