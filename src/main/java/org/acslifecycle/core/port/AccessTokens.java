package org.acslifecycle.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** ACS access tokens, for the operators' token commands. Failures are {@link DirectoryFailure}s. */
public interface AccessTokens {

    /** Issues a token for an existing identity; {@code expiresIn} is 60 min to 24 h. */
    IssuedToken issueToken(String acsUserId, Set<String> scopes, Duration expiresIn);

    /** Creates an identity and its first token in one ACS call. Not idempotent, like creating an identity. */
    IdentityWithToken createIdentityWithToken(Set<String> scopes, Duration expiresIn);

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

    record IdentityWithToken(String acsUserId, IssuedToken token) {}
}
