package org.acslifecycle.emulators.acs;

/** What the emulator says about an access token it is shown. */
public enum TokenStatus {
    VALID,
    /** Past its {@code exp}. */
    EXPIRED,
    /** Issued before the identity's latest revoke. */
    REVOKED,
    /** Its identity was deleted (which revokes every token). */
    IDENTITY_DELETED,
    /** Signed by another key (e.g. another emulator instance) or altered. */
    BAD_SIGNATURE,
    /** Not a JWT this emulator could have minted. */
    MALFORMED
}
