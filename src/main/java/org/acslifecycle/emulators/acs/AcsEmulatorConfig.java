package org.acslifecycle.emulators.acs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.acslifecycle.emulators.entra.TrustedIssuer;

/**
 * How an {@link AcsIdentityEmulator} runs. Immutable; start from {@link #defaults()} and change what a test or
 * the command line needs with the {@code with…} methods. {@link #toString()} never shows the access key.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param accessKey base64 HMAC key clients sign with; {@code null} makes a random one at start
 * @param resourceId the GUID inside every identity id ({@code 8:acs:<resourceId>_…})
 * @param tls where the TLS certificate comes from
 * @param quotaWindowFactor scales the 30 s quota window (0.1 → 3 s) so tests need not wait; limits stay real
 * @param maxDateSkew how far {@code x-ms-date} may be from the emulator's clock (the service does not document its
 *     own tolerance; 15 min is the usual Azure value)
 * @param bearerMode whether {@code Authorization: Bearer …} is refused, accepted unchecked, or validated
 * @param entraIssuer the Entra ID issuer whose tokens {@link BearerMode#VALIDATE} accepts; {@code null} otherwise
 * @param unknownIdentityBehaviour what revoke / issue / delete answer for identities the service's behaviour is
 *     unknown for (deleted, never created)
 * @param faults faults in force from the start; changeable at run time
 * @param clock the emulator's "now" (token times, quotas, date freshness, outage windows)
 * @param randomSeed seeds fault shares and latency distributions so a test run can be repeated
 */
public record AcsEmulatorConfig(
        int port,
        String accessKey,
        UUID resourceId,
        TlsSource tls,
        double quotaWindowFactor,
        Duration maxDateSkew,
        BearerMode bearerMode,
        TrustedIssuer entraIssuer,
        UnknownIdentityBehaviour unknownIdentityBehaviour,
        FaultPlan faults,
        Clock clock,
        long randomSeed) {

    public AcsEmulatorConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(tls, "tls");
        if (!(quotaWindowFactor > 0) || quotaWindowFactor > 100) {
            throw new IllegalArgumentException("quotaWindowFactor must be in (0, 100], was " + quotaWindowFactor);
        }
        Objects.requireNonNull(maxDateSkew, "maxDateSkew");
        if (maxDateSkew.isNegative()) {
            throw new IllegalArgumentException("maxDateSkew must not be negative");
        }
        Objects.requireNonNull(bearerMode, "bearerMode");
        if ((bearerMode == BearerMode.VALIDATE) != (entraIssuer != null)) {
            throw new IllegalArgumentException("entraIssuer is needed with, and only with, BearerMode.VALIDATE");
        }
        Objects.requireNonNull(unknownIdentityBehaviour, "unknownIdentityBehaviour");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(clock, "clock");
        if (accessKey != null) {
            AccessKeys.requireValidKey(accessKey);
        }
    }

    /** Port 0, random key and resource, generated certificate, real quota windows, no faults. */
    public static AcsEmulatorConfig defaults() {
        return new AcsEmulatorConfig(0, null, UUID.randomUUID(), TlsSource.generated(null), 1.0,
                Duration.ofMinutes(15), BearerMode.REJECT, null, UnknownIdentityBehaviour.defaults(), FaultPlan.none(),
                Clock.systemUTC(), System.nanoTime());
    }

    public AcsEmulatorConfig withPort(int newPort) {
        return new AcsEmulatorConfig(newPort, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, clock, randomSeed);
    }

    public AcsEmulatorConfig withAccessKey(String newAccessKey) {
        return new AcsEmulatorConfig(port, newAccessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, clock, randomSeed);
    }

    public AcsEmulatorConfig withTls(TlsSource newTls) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, newTls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, clock, randomSeed);
    }

    public AcsEmulatorConfig withQuotaWindowFactor(double factor) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, factor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, clock, randomSeed);
    }

    public AcsEmulatorConfig withMaxDateSkew(Duration skew) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, skew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, clock, randomSeed);
    }

    public AcsEmulatorConfig withBearerMode(BearerMode mode) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                mode, mode == BearerMode.VALIDATE ? entraIssuer : null, unknownIdentityBehaviour, faults, clock,
                randomSeed);
    }

    /**
     * {@link BearerMode#VALIDATE}: bearer tokens must be signed by {@code issuer}'s keys, for audience
     * {@code https://communication.azure.com}, and unexpired (HMAC keeps working).
     */
    public AcsEmulatorConfig withEntraIssuer(TrustedIssuer issuer) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                BearerMode.VALIDATE, Objects.requireNonNull(issuer, "issuer"), unknownIdentityBehaviour, faults,
                clock, randomSeed);
    }

    public AcsEmulatorConfig withUnknownIdentityBehaviour(UnknownIdentityBehaviour behaviour) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, behaviour, faults, clock, randomSeed);
    }

    public AcsEmulatorConfig withFaults(FaultPlan plan) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, plan, clock, randomSeed);
    }

    public AcsEmulatorConfig withClock(Clock newClock) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, newClock, randomSeed);
    }

    public AcsEmulatorConfig withRandomSeed(long seed) {
        return new AcsEmulatorConfig(port, accessKey, resourceId, tls, quotaWindowFactor, maxDateSkew,
                bearerMode, entraIssuer, unknownIdentityBehaviour, faults, clock, seed);
    }

    @Override
    public String toString() {
        return "AcsEmulatorConfig[port=" + port + ", accessKey=" + (accessKey == null ? "<generated>" : "<redacted>")
                + ", resourceId=" + resourceId + ", tls=" + tls + ", quotaWindowFactor=" + quotaWindowFactor
                + ", maxDateSkew=" + maxDateSkew + ", bearerMode=" + bearerMode + (entraIssuer == null ? "" : ", entraIssuer=" + entraIssuer.issuer())
                + ", unknownIdentityBehaviour="
                + unknownIdentityBehaviour + ", faults=" + faults + "]";
    }

    /** Whether Entra ID bearer tokens are accepted instead of HMAC. */
    public enum BearerMode {
        /** Default: only HMAC-signed requests are served, like a resource with a client that holds the key. */
        REJECT,
        /**
         * Permissive: any non-empty {@code Authorization: Bearer …} is accepted without checking it, so the
         * managed-identity code path can be exercised locally. Never a model of the real service's checks.
         */
        ACCEPT_ANY,
        /**
         * As ACS does: a bearer token must be an RS256 JWT signed by a key of the configured Entra ID issuer
         * ({@link AcsEmulatorConfig#entraIssuer()}), with that {@code iss}, audience
         * {@code https://communication.azure.com}, and not expired; otherwise 401. Set with
         * {@link AcsEmulatorConfig#withEntraIssuer}.
         */
        VALIDATE
    }

    /**
     * Where the emulator's TLS certificate comes from: generated at start (written as PEM to {@code pemOut}, or to
     * a temporary file when {@code null}), or an existing certificate and private key, both PEM.
     */
    public record TlsSource(Path pemOut, Path certificatePem, Path privateKeyPem) {
        public TlsSource {
            if ((certificatePem == null) != (privateKeyPem == null)) {
                throw new IllegalArgumentException("certificatePem and privateKeyPem must be given together");
            }
            if (certificatePem != null && pemOut != null) {
                throw new IllegalArgumentException("pemOut is only for a generated certificate");
            }
        }

        public static TlsSource generated(Path pemOut) {
            return new TlsSource(pemOut, null, null);
        }

        public static TlsSource given(Path certificatePem, Path privateKeyPem) {
            return new TlsSource(null, Objects.requireNonNull(certificatePem, "certificatePem"),
                    Objects.requireNonNull(privateKeyPem, "privateKeyPem"));
        }
    }

    /**
     * Answers for cases the real service's behaviour is not publicly recorded (see the ACS note §5.2). Defaults:
     * a repeated delete is 204 (idempotent), revoke and issue for a deleted or never-created identity are 404
     * {@code IdentityNotFound}.
     */
    public record UnknownIdentityBehaviour(int repeatedDeleteStatus, int deleteNeverCreatedStatus,
            int revokeMissingStatus) {
        public UnknownIdentityBehaviour {
            for (int s : new int[] {repeatedDeleteStatus, deleteNeverCreatedStatus, revokeMissingStatus}) {
                if (s != 204 && s != 404) {
                    throw new IllegalArgumentException("status must be 204 or 404, was " + s);
                }
            }
        }

        public static UnknownIdentityBehaviour defaults() {
            return new UnknownIdentityBehaviour(204, 404, 404);
        }
    }
}
