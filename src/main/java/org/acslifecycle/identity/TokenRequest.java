package org.acslifecycle.identity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Scopes and lifetime of an access token to issue. Checked here because the SDK checks neither: it turns an empty
 * scope list into a NullPointerException on create-with-token, and truncates the lifetime to whole minutes unchecked.
 *
 * @param scopes e.g. {@code chat}, {@code voip}; at least one
 * @param expiresIn 60 to 1440 whole minutes, or {@code null} for the service default (24 h)
 */
public record TokenRequest(List<String> scopes, Duration expiresIn) {

    public TokenRequest {
        Objects.requireNonNull(scopes, "scopes");
        if (scopes.isEmpty() || scopes.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("at least one non-blank scope is required");
        }
        scopes = List.copyOf(scopes);
        if (expiresIn != null) {
            if (expiresIn.toSecondsPart() != 0 || expiresIn.toNanosPart() != 0) {
                throw new IllegalArgumentException("token lifetime must be whole minutes");
            }
            long minutes = expiresIn.toMinutes();
            if (minutes < 60 || minutes > 1440) {
                throw new IllegalArgumentException("token lifetime must be 60 to 1440 minutes, was " + minutes);
            }
        }
    }

    public static TokenRequest of(List<String> scopes) {
        return new TokenRequest(scopes, null);
    }
}
