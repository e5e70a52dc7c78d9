package org.acslifecycle.messaging;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the worker talks to Service Bus. Exactly one of {@code connectionString} (local, or SAS) and
 * {@code fullyQualifiedNamespace} (Microsoft Entra ID through DefaultAzureCredential) is used; the
 * connection string wins when both are set, as in the Azure SDK's builders. {@link #toString()} never
 * prints the connection string.
 *
 * @param sessions             one person's events in order through Service Bus sessions (SessionId = subject);
 *                             off for queues without sessions, where the ledger's per-person lock serialises
 * @param concurrency          sessions (or, without sessions, messages) handled at once
 * @param maxLockRenewal       how long the processor keeps renewing a message's or session's lock
 * @param sessionIdleTimeout   how long a session with no new message is held before the worker moves on to
 *                             another person's session; short, because one person rarely has many events
 * @param developmentEmulator  the namespace ({@code host:port}) is a local emulator: plain AMQP, no TLS, as
 *                             {@code UseDevelopmentEmulator=true} in a connection string; for Entra ID against
 *                             the emulators only
 */
public record ServiceBusSettings(
        Optional<String> connectionString,
        Optional<String> fullyQualifiedNamespace,
        String queue,
        String outcomesTopic,
        boolean sessions,
        int concurrency,
        Duration maxLockRenewal,
        Duration sessionIdleTimeout,
        Duration tryTimeout,
        boolean developmentEmulator) {

    public ServiceBusSettings {
        Objects.requireNonNull(connectionString, "connectionString");
        Objects.requireNonNull(fullyQualifiedNamespace, "fullyQualifiedNamespace");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(outcomesTopic, "outcomesTopic");
        if (connectionString.isEmpty() && fullyQualifiedNamespace.isEmpty()) {
            throw new IllegalArgumentException("either a connection string or a fully qualified namespace is needed");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
    }

    @Override
    public String toString() {
        return "ServiceBusSettings[" + connectionString.map(c -> "connectionString=(secret)")
                .orElse("namespace=" + fullyQualifiedNamespace.orElse("")) + ", queue=" + queue
                + (developmentEmulator ? " (development emulator)" : "") + ", outcomesTopic=" + outcomesTopic + ", sessions=" + sessions + ", concurrency=" + concurrency + "]";
    }
}
