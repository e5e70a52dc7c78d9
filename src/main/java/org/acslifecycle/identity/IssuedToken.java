package org.acslifecycle.identity;

import java.time.OffsetDateTime;
import java.util.Objects;

/** An ACS access token and its expiry. The token is a secret: {@link #toString()} hides it; never log it. */
public record IssuedToken(String token, OffsetDateTime expiresOn) {
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresOn, "expiresOn");
    }

    @Override
    public String toString() {
        return "IssuedToken[token=<redacted>, expiresOn=" + expiresOn + "]";
    }
}
