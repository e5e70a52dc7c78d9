package org.acslifecycle.identity;

import java.util.Objects;

/** A new identity and its first token, made in one ACS call. {@link #toString()} hides the token. */
public record IdentityWithToken(String acsUserId, IssuedToken token) {
    public IdentityWithToken {
        Objects.requireNonNull(acsUserId, "acsUserId");
        Objects.requireNonNull(token, "token");
    }
}
