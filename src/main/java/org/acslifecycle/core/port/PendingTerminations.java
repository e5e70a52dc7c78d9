package org.acslifecycle.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * When a person's future-dated termination (offboarding or suspension, DESIGN §3 "effective dating") takes
 * effect, so that no token is issued that outlives it.
 *
 * <p>A seam, not yet a feature: the ledger records no pending changes yet, so {@link #NONE_RECORDED} is the
 * only implementation. When the ledger learns pending changes, it implements this (or the ledger port grows a
 * method and the composition root passes that here); {@link org.acslifecycle.core.TokenIssuance} already caps
 * expiry by it.
 */
@FunctionalInterface
public interface PendingTerminations {

    /** The effective time of the person's pending termination, if one is scheduled. */
    Optional<Instant> effectiveAt(String externalId);

    /** Until the ledger holds pending changes: nobody has a termination scheduled. */
    PendingTerminations NONE_RECORDED = externalId -> Optional.empty();
}
