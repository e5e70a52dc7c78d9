package org.acslifecycle.emulators.acs;

import java.time.Instant;

/** An identity as the inspection endpoint lists it; {@code deletedAt} is set for deleted ones (kept as tombstones). */
public record IdentityView(String id, Instant createdAt, Instant deletedAt, Instant tokensRevokedAt,
        Instant lastTokenIssuedAt, long tokensIssued) {
}
