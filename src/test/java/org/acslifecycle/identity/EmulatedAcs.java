package org.acslifecycle.identity;

import java.time.Duration;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;

/** Adapter configs pointing at an in-process emulator, trusting exactly its certificate. */
final class EmulatedAcs {

    private EmulatedAcs() {
    }

    static AcsIdentityConfig config(AcsIdentityEmulator acs, RetrySettings retry) {
        return AcsIdentityConfig.ofConnectionString(acs.connectionString())
                .withTrustedCertificate(acs.certificatePem())
                .withRetry(retry)
                .withAttemptTimeout(Duration.ofSeconds(5));
    }

    /** No retry at all: one HTTP attempt per call, for classification tests. */
    static RetrySettings singleAttempt() {
        return new RetrySettings(1, Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(10), true);
    }

    /** Fast back-off so that tests counting attempts do not wait. */
    static RetrySettings attempts(int maxAttempts) {
        return new RetrySettings(maxAttempts, Duration.ofMillis(50), Duration.ofMillis(200), 0.5,
                Duration.ofSeconds(10), true);
    }
}
