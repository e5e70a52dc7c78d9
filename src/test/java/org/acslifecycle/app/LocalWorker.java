package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigSource;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;

/** A worker on the embedded emulators and a ledger of the test's choosing, as {@code local} runs it. */
final class LocalWorker implements AutoCloseable {

    final EmbeddedEmulators emulators;
    final Worker worker;
    final WorkerSettings settings;
    private final ServiceBusSenderClient sender;
    final EventPublisher publisher;

    LocalWorker(LedgerSettings ledger, AcsEmulatorConfig acs, Map<String, String> overrides) {
        this(ServiceBusEmulatorOptions.of(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0),
                ledger, acs, overrides);
    }

    /** With a topology and Service Bus key of the test's choosing. */
    LocalWorker(ServiceBusEmulatorOptions serviceBus, LedgerSettings ledger, AcsEmulatorConfig acs,
            Map<String, String> overrides) {
        this(serviceBus, ledger, acs, overrides, null);
    }

    /** Its spans to {@code tracing} (a test's in-memory exporter), which the test closes. */
    LocalWorker(LedgerSettings ledger, AcsEmulatorConfig acs, Map<String, String> overrides,
            org.acslifecycle.tracing.Tracing tracing) {
        this(ServiceBusEmulatorOptions.of(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0),
                ledger, acs, overrides, tracing);
    }

    private LocalWorker(ServiceBusEmulatorOptions serviceBus, LedgerSettings ledger, AcsEmulatorConfig acs,
            Map<String, String> overrides, org.acslifecycle.tracing.Tracing tracing) {
        emulators = EmbeddedEmulators.start(serviceBus, acs);
        Config config = ConfigSource.resolve(Path.of("config/local.properties"), Map.of()).with(Map.of(
                "servicebus.connection-string", emulators.serviceBus().connectionString(),
                "acs.connection-string", emulators.acs().connectionString(),
                "acs.trusted-certificate-pem", emulators.acs().certificatePem().toString(),
                "ledger.url", ledger.jdbcUrl(),
                "ledger.user", ledger.user(),
                "http.port", "0")).with(overrides);
        settings = WorkerSettings.from(config);
        worker = tracing == null ? Worker.start(settings, Clock.systemUTC())
                : Worker.start(settings, Clock.systemUTC(), tracing);
        sender = ServiceBusClients.builder(settings.serviceBus()).sender().queueName(settings.serviceBus().queue())
                .buildClient();
        publisher = new EventPublisher(sender);
    }

    /** The sender onto the lifecycle queue, for tests that build their own messages. */
    ServiceBusSenderClient sender() {
        return sender;
    }

    /** The identities the executor created for a person, oldest first (from its EFFECT audit rows). */
    java.util.List<String> createdIdentities(String subject) {
        return worker.ledger().history(subject).map(history -> history.audit().stream()
                        .filter(row -> row.outcome() == org.acslifecycle.core.AuditEntry.Outcome.EFFECT)
                        .filter(row -> row.eventType().equals(java.util.Optional.of("operation.create")))
                        .map(row -> row.acsUserId().orElseThrow()).toList())
                .orElse(java.util.List.of());
    }

    /** Whether the journal has nothing left to do (no PENDING operation). */
    boolean journalDone() {
        return worker.ledger().operations(java.util.Set.of(org.acslifecycle.core.Operation.Status.PENDING), 1).isEmpty();
    }

    /** The event rows of a person's audit (the executor's EFFECT rows left out). */
    java.util.List<org.acslifecycle.core.AuditEntry> eventRows(String subject) {
        return worker.ledger().history(subject).map(history -> history.audit().stream()
                .filter(row -> row.outcome() != org.acslifecycle.core.AuditEntry.Outcome.EFFECT).toList())
                .orElse(java.util.List.of());
    }

    @Override
    public void close() {
        sender.close();
        worker.close();
        emulators.close();
    }
}
