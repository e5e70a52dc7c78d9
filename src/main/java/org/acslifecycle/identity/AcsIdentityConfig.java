package org.acslifecycle.identity;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach ACS Identity: a connection string, or (production) an endpoint with Microsoft Entra ID through
 * {@code DefaultAzureCredential} / managed identity. {@code trustedCertificatePem} is for the local emulator: when
 * given, that certificate and no other is trusted. {@link #toString()} never shows the connection string.
 *
 * @param connectionString {@code endpoint=https://…/;accesskey=…}, or {@code null} when {@code endpoint} is used
 * @param endpoint {@code https://<resource>.communication.azure.com/}, or {@code null} with a connection string
 * @param trustedCertificatePem PEM file of the one certificate to trust, or {@code null} for the JDK's trust store
 * @param retry the adapter's retry layer
 * @param attemptTimeout per HTTP attempt: connect, response and read time-out
 */
public record AcsIdentityConfig(String connectionString, URI endpoint, Path trustedCertificatePem,
        RetrySettings retry, Duration attemptTimeout) {

    public AcsIdentityConfig {
        if ((connectionString == null) == (endpoint == null)) {
            throw new IllegalArgumentException("acs: set exactly one of connectionString and endpoint");
        }
        if (connectionString != null && connectionString.isBlank()) {
            throw new IllegalArgumentException("acs: connectionString is blank");
        }
        if (endpoint != null && !"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException("acs: endpoint must be https");
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("acs: attemptTimeout must be positive");
        }
    }

    public static AcsIdentityConfig ofConnectionString(String connectionString) {
        return new AcsIdentityConfig(connectionString, null, null, RetrySettings.defaults(), Duration.ofSeconds(10));
    }

    /** Production: Entra ID via DefaultAzureCredential (managed identity in Azure). */
    public static AcsIdentityConfig ofManagedIdentity(URI endpoint) {
        return new AcsIdentityConfig(null, endpoint, null, RetrySettings.defaults(), Duration.ofSeconds(10));
    }

    public AcsIdentityConfig withTrustedCertificate(Path pem) {
        return new AcsIdentityConfig(connectionString, endpoint, pem, retry, attemptTimeout);
    }

    public AcsIdentityConfig withRetry(RetrySettings settings) {
        return new AcsIdentityConfig(connectionString, endpoint, trustedCertificatePem, settings, attemptTimeout);
    }

    public AcsIdentityConfig withAttemptTimeout(Duration timeout) {
        return new AcsIdentityConfig(connectionString, endpoint, trustedCertificatePem, retry, timeout);
    }

    @Override
    public String toString() {
        return "AcsIdentityConfig[" + (connectionString != null ? "connectionString=<redacted>" : "endpoint=" + endpoint)
                + ", trustedCertificatePem=" + trustedCertificatePem + ", retry=" + retry + ", attemptTimeout="
                + attemptTimeout + "]";
    }
}
