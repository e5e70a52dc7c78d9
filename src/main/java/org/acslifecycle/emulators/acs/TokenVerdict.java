package org.acslifecycle.emulators.acs;

import java.time.Instant;
import java.util.List;

/** The answer of the token inspection endpoint. Never echoes the token itself. */
public record TokenVerdict(TokenStatus status, String identityId, List<String> scopes, Instant issuedAt,
        Instant expiresOn) {

    public boolean valid() {
        return status == TokenStatus.VALID;
    }

    static TokenVerdict of(TokenStatus status) {
        return new TokenVerdict(status, null, List.of(), null, null);
    }
}
