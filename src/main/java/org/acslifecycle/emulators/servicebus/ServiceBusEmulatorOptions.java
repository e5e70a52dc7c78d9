package org.acslifecycle.emulators.servicebus;

import java.time.Clock;
import java.util.Objects;
import org.acslifecycle.emulators.entra.TrustedIssuer;
import org.acslifecycle.emulators.servicebus.topology.Topology;

/**
 * How to run the emulator. The host is always 127.0.0.1 (never a public interface); port 0 picks a free port,
 * which tests must use because something else (RabbitMQ) may own 5672. With {@code entraIssuer} (else {@code null}),
 * CBS put-token also takes type {@code jwt}: an Entra ID access token of that issuer for audience
 * {@code https://servicebus.azure.net} (see {@link org.acslifecycle.emulators.entra.EntraTokenVerifier}); SAS keeps
 * working. Roles (Data Sender / Receiver) are not modelled: a valid token may send and receive.
 */
public record ServiceBusEmulatorOptions(Topology topology, int port, String sharedAccessKeyName, String sharedAccessKey,
        Clock clock, TrustedIssuer entraIssuer) {

    public static final String HOST = "127.0.0.1";
    public static final String DEFAULT_KEY_NAME = "RootManageSharedAccessKey";
    /** The official emulator's documented placeholder key; fine for a loopback-only emulator. */
    public static final String DEFAULT_KEY = "SAS_KEY_VALUE";

    public ServiceBusEmulatorOptions(Topology topology, int port, String sharedAccessKeyName, String sharedAccessKey,
            Clock clock) {
        this(topology, port, sharedAccessKeyName, sharedAccessKey, clock, null);
    }

    public ServiceBusEmulatorOptions {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (sharedAccessKeyName == null || sharedAccessKeyName.isBlank()) {
            throw new IllegalArgumentException("sharedAccessKeyName must not be blank");
        }
        if (sharedAccessKey == null || sharedAccessKey.isBlank()) {
            throw new IllegalArgumentException("sharedAccessKey must not be blank");
        }
    }

    public static ServiceBusEmulatorOptions of(Topology topology, int port) {
        return new ServiceBusEmulatorOptions(topology, port, DEFAULT_KEY_NAME, DEFAULT_KEY, Clock.systemUTC());
    }

    /** These options, also trusting Entra ID tokens of {@code issuer} on CBS. */
    public ServiceBusEmulatorOptions withEntraIssuer(TrustedIssuer issuer) {
        return new ServiceBusEmulatorOptions(topology, port, sharedAccessKeyName, sharedAccessKey, clock,
                Objects.requireNonNull(issuer, "issuer"));
    }

    @Override
    public String toString() {
        // Never print the key.
        return "ServiceBusEmulatorOptions[port=" + port + ", keyName=" + sharedAccessKeyName + ", queues="
                + topology.queues().size() + ", topics=" + topology.topics().size() + (entraIssuer == null ? "" : ", entraIssuer=" + entraIssuer.issuer()) + "]";
    }
}
