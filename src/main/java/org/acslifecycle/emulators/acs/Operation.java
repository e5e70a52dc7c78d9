package org.acslifecycle.emulators.acs;

/** The Identity API operations the emulator serves, as counted and rate-limited (ACS service limits). */
public enum Operation {
    CREATE_IDENTITY(1000),
    /** Create with {@code createTokenWithScopes}: a row of its own in the service-limits table. */
    CREATE_IDENTITY_WITH_TOKEN(1000),
    ISSUE_TOKEN(1000),
    REVOKE_TOKENS(500),
    DELETE_IDENTITY(500),
    /** A request no route matched (or whose route could not be told); counted, never rate-limited. */
    UNKNOWN(Integer.MAX_VALUE);

    private final int limitPer30Seconds;

    Operation(int limitPer30Seconds) {
        this.limitPer30Seconds = limitPer30Seconds;
    }

    /** Requests admitted per 30 s window on the real service. */
    public int limitPer30Seconds() {
        return limitPer30Seconds;
    }
}
