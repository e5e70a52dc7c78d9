package org.acslifecycle.emulators.acs;

import java.time.Instant;
import java.util.List;

/** A minted token as the inspection endpoint lists it: metadata only, never the token string. */
public record TokenView(long sequence, String identityId, List<String> scopes, Instant issuedAt, Instant expiresOn,
        TokenStatus status) {
}
