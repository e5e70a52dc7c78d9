package org.acslifecycle.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** ACS access tokens, for the operators' token commands. Failures are {@link DirectoryFailure}s. */
public interface AccessTokens {

    /** Issues a token for an existing identity. A retried call may mint more than one (harmless). */
    IssuedToken issueToken(String acsUserId, TokenRequest request);

    /** Creates an identity and its first token in one ACS call: the same repeatable POST as creating an identity. */
    IdentityWithToken createIdentityWithToken(CreateRequest create, TokenRequest request);

    /**
     * Scopes and lifetime of an access token to issue. Checked here because the SDK checks neither: it turns
     * an empty scope list into a NullPointerException on create-with-token, and truncates the lifetime to
     * whole minutes unchecked.
     *
     * @param scopes    e.g. {@code chat}, {@code voip}; at least one
     * @param expiresIn 60 to 1440 whole minutes, or {@code null} for the service default (24 h)
     */
    record TokenRequest(List<String> scopes, Duration expiresIn) {

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

    /** A token and its expiry. The token is a secret: {@link #toString()} leaves it out. */
    record IssuedToken(String token, Instant expiresOn) {
        public IssuedToken {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(expiresOn, "expiresOn");
        }

        @Override
        public String toString() {
            return "IssuedToken[token=(secret), expiresOn=" + expiresOn + "]";
        }
    }

    record IdentityWithToken(String acsUserId, IssuedToken token) {
        public IdentityWithToken {
            Objects.requireNonNull(acsUserId, "acsUserId");
            Objects.requireNonNull(token, "token");
        }
    }
}
