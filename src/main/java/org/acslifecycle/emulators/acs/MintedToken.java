package org.acslifecycle.emulators.acs;

import java.time.Instant;

/** A token just minted, with its expiry. {@link #toString()} hides the token. */
record MintedToken(String token, Instant expiresOn) {
    @Override
    public String toString() {
        return "MintedToken[token=<redacted>, expiresOn=" + expiresOn + "]";
    }
}
