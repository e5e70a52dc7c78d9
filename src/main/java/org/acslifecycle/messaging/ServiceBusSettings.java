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
 * @param sessionIdleTimeout   how long a session is kept with no message before the processor moves on to
 *                             another; the SDK's default (the try-timeout) holds each person's session 30 s
 *                             after their last event, so 8 sessions handle only ~8 people per 30 s
 */
public record ServiceBusSettings(
        Optional<String> connectionString,
        Optional<String> fullyQualifiedNamespace,
        String queue,
        String outcomesTopic,
        boolean sessions,
        int concurrency,
        Duration maxLockRenewal,
        Duration tryTimeout,
        Duration sessionIdleTimeout) {

    public ServiceBusSettings {
        Objects.requireNonNull(connectionString, "connectionString");
        Objects.requireNonNull(fullyQualifiedNamespace, "fullyQualifiedNamespace");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(outcomesTopic, "outcomesTopic");
        if (connectionString.isEmpty() && fullyQualifiedNamespace.isEmpty()) {
            throw new IllegalArgumentException("either a connection string or a fully qualified namespace is needed");
        }
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("sessionIdleTimeout must be positive, was " + sessionIdleTimeout);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
    }

    @Override
    public String toString() {
        return "ServiceBusSettings[" + connectionString.map(c -> "connectionString=(secret)")
                .orElse("namespace=" + fullyQualifiedNamespace.orElse("")) + ", queue=" + queue
                + ", outcomesTopic=" + outcomesTopic + ", sessions=" + sessions + ", concurrency=" + concurrency + "]";
    }
}
