package org.acslifecycle.core.port;

/**
 * The ACS identity operations the lifecycle core needs (the out-port the identity adapter implements).
 *
 * <p>Every method either succeeds or throws a {@link DirectoryFailure} that says how to recover. The
 * adapter owns retries inside one call; the core decides what happens after that.
 */
public interface IdentityDirectory {

    /**
     * Creates a new ACS identity and returns its id, e.g. {@code 8:acs:...}. Repeating the same {@code request}
     * returns the identity made the first time, where ACS honours the repeatability headers (within its window).
     */
    String createIdentity(CreateRequest request);

    /** Revokes every access token of the identity. A 404 from ACS means there is nothing left to revoke. */
    Completion revokeTokens(String acsUserId);

    /** Deletes the identity (which also revokes its tokens). A 404 from ACS means it is already gone. */
    Completion deleteIdentity(String acsUserId);

    /** Whether a revoke or delete did the work now or found it already done (ACS answered 404). */
    enum Completion {
        DONE,
        ALREADY_DONE
    }
}
