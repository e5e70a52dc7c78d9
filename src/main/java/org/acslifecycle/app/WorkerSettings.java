package org.acslifecycle.app;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.DeletionPolicy;
import org.acslifecycle.app.tokens.TokenServiceSettings;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.RecoveryPolicy;
import org.acslifecycle.core.event.EventContract;
import org.acslifecycle.core.event.TypeMapping;
import org.acslifecycle.execution.ExecutorSettings;
import org.acslifecycle.identity.AcsIdentityConfig;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.ServiceBusSettings;

/**
 * Everything the worker needs, read and checked from the configuration at start: a bad value stops
 * start-up with a message naming its key, before anything is connected.
 */
record WorkerSettings(
        LedgerSettings ledger,
        ServiceBusSettings serviceBus,
        AcsIdentityConfig acs,
        AcsPacing acsPacing,
        ExecutorSettings executor,
        DeletionPolicy deletion,
        TypeMapping typeMapping,
        Duration maxEffectiveAhead,
        RecoveryPolicy recovery,
        String httpHost,
        int httpPort,
        LogFormat logFormat,
        Duration shutdownDeadline,
        Duration watchdogGrace,
        Optional<TokenServiceSettings> tokens,
        Optional<AzureCredentials.ClientSecret> entraClient,
        TracingSettings tracing) {

    enum LogFormat { HUMAN, JSON }

    /** The contract intake reads messages with: this configuration's type mapping and effective-dating limit. */
    EventContract eventContract() {
        return new EventContract(typeMapping, maxEffectiveAhead);
    }

    static WorkerSettings from(Config config) {
        return new WorkerSettings(ConfigOptions.ledgerSettings(config), serviceBus(config), acs(config), acsPacing(config),
                executor(config), deletionPolicy(config), typeMapping(config),
                config.optional("events.max-effective-ahead").map(v -> config.duration("events.max-effective-ahead"))
                        .orElse(Duration.ofDays(400)),
                new RecoveryPolicy(config.durations("retry.delays"),
                        config.duration("retry.probe-every"), config.integer("retry.outage-after", 1, 1000)),
                config.string("http.host"), config.integer("http.port", 0, 65535),
                config.choice("log.format", LogFormat.class), config.duration("shutdown.deadline"),
                config.duration("health.watchdog-grace"), TokenServiceSettings.from(config),
                AzureCredentials.settings(config), TracingSettings.from(config));
    }

    static ServiceBusSettings serviceBus(Config config) {
        Optional<String> connectionString = config.secret("servicebus.connection-string");
        Optional<String> namespace = config.optional("servicebus.namespace");
        if (connectionString.isEmpty() && namespace.isEmpty()) {
            throw config.bad("servicebus.connection-string", "is missing (or set servicebus.namespace for Entra ID)");
        }
        return new ServiceBusSettings(connectionString, namespace, config.string("servicebus.queue"),
                config.string("servicebus.outcomes-topic"), config.bool("servicebus.sessions"),
                config.integer("servicebus.concurrency", 1, 1000), config.duration("servicebus.max-lock-renewal"), config.duration("servicebus.session-idle-timeout"),
                config.duration("servicebus.try-timeout"),
                // Entra ID against the local emulator (plain AMQP on host:port); never in production.
                config.optional("servicebus.development-emulator").map(v -> config.bool("servicebus.development-emulator"))
                        .orElse(false));
    }

    static AcsIdentityConfig acs(Config config) {
        Optional<String> connectionString = config.secret("acs.connection-string");
        Optional<String> endpoint = config.optional("acs.endpoint");
        final AcsIdentityConfig acs;
        if (connectionString.isPresent()) {
            acs = AcsIdentityConfig.ofConnectionString(connectionString.get());
        } else if (endpoint.isPresent()) {
            try {
                acs = AcsIdentityConfig.ofManagedIdentity(URI.create(endpoint.get()));
            } catch (IllegalArgumentException e) {
                throw config.bad("acs.endpoint", "must be an https:// URL, was '" + endpoint.get() + "'");
            }
        } else {
            throw config.bad("acs.connection-string", "is missing (or set acs.endpoint for Entra ID)");
        }
        Optional<String> pem = config.optional("acs.trusted-certificate-pem");
        return pem.isPresent() ? acsWithCertificate(config, acs, pem.get()) : acs;
    }

    private static AcsIdentityConfig acsWithCertificate(Config config, AcsIdentityConfig acs, String pem) {
        Path path = Path.of(pem);
        if (!path.toFile().isFile()) {
            throw config.bad("acs.trusted-certificate-pem", "names no file: " + pem);
        }
        return acs.withTrustedCertificate(path);
    }

    static ExecutorSettings executor(Config config) {
        return new ExecutorSettings(config.integer("executor.threads", 1, 256), config.duration("executor.poll-interval"),
                config.duration("executor.heartbeat"), config.duration("executor.initial-backoff"),
                config.duration("executor.max-backoff"), config.integer("retry.outage-after", 1, 1000),
                config.duration("retry.probe-every"), config.duration("executor.stuck-after"));
    }

    /** The grace period and the deletion breaker (DESIGN §3). */
    static DeletionPolicy deletionPolicy(Config config) {
        // Keys added after the first release: a configuration written before them keeps working, on the defaults.
        DeletionPolicy defaults = DeletionPolicy.DEFAULTS;
        return new DeletionPolicy(
                config.optional("offboarding.grace").map(v -> config.durationOrZero("offboarding.grace"))
                        .orElse(defaults.grace()),
                config.optional("breaker.window").map(v -> config.duration("breaker.window"))
                        .orElse(defaults.breakerWindow()),
                config.optional("breaker.max-deletions").map(v -> config.integer("breaker.max-deletions", 0, 10_000_000))
                        .orElse(defaults.breakerMaxDeletions()),
                config.optional("breaker.max-share").map(v -> config.decimal("breaker.max-share", 0, 1))
                        .orElse(defaults.breakerMaxShare()),
                config.optional("breaker.min-deletions").map(v -> config.integer("breaker.min-deletions", 0, 10_000_000))
                        .orElse(defaults.breakerMinDeletions()));
    }

    /**
     * The ACS resource's quota per window for each operation. Shared by every replica through the ledger, so
     * it is the whole resource's, not a share of it.
     */
    static AcsPacing acsPacing(Config config) {
        return new AcsPacing(Map.of(
                "createIdentity", config.integer("acs.pacing.create-identity", 1, 100_000),
                "createIdentityWithToken", config.integer("acs.pacing.create-identity", 1, 100_000),
                "issueToken", config.integer("acs.pacing.issue-token", 1, 100_000),
                "revokeTokens", config.integer("acs.pacing.revoke-tokens", 1, 100_000),
                "deleteIdentity", config.integer("acs.pacing.delete-identity", 1, 100_000)),
                config.duration("acs.pacing.window"));
    }

    /** The quotas as configured, or ACS's published ones when the file names none (an operator's short config). */
    static AcsPacing acsQuotas(Config config) {
        return config.optional("acs.pacing.window").isPresent() ? acsPacing(config) : AcsPacing.serviceQuotas();
    }

    static TypeMapping typeMapping(Config config) {
        Map<String, EventType> mapping = new LinkedHashMap<>();
        for (String pair : config.optional("events.type-mapping").orElse("").split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.trim().split("=", 2);
            Optional<EventType> canonical = parts.length == 2 ? EventType.fromCloudEventType(parts[1].trim()) : Optional.empty();
            if (canonical.isEmpty()) {
                throw config.bad("events.type-mapping", "must be publisherType=canonicalType pairs with a canonical type "
                        + "of user.onboarded, user.offboarded, user.suspended or user.reinstated; got '" + pair.trim() + "'");
            }
            mapping.put(parts[0].trim(), canonical.get());
        }
        try {
            return new TypeMapping(mapping);
        } catch (IllegalArgumentException e) {
            throw config.bad("events.type-mapping", e.getMessage());
        }
    }
}
