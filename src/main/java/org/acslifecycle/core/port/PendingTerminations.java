package org.acslifecycle.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * When a person's future-dated termination (offboarding or suspension, DESIGN §3 "effective dating") takes
 * effect, so that no token is issued that outlives it.
 *
 * <p>The ledger answers from the persons' pending changes; {@link org.acslifecycle.core.TokenIssuance} caps expiry
 * by it.
 */
@FunctionalInterface
public interface PendingTerminations {

    /** The effective time of the person's pending termination, if one is scheduled. */
    Optional<Instant> effectiveAt(String externalId);

    /** Nobody has a termination scheduled (tests of other rules). */
    PendingTerminations NONE_RECORDED = externalId -> Optional.empty();
}
