package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.servicebus.InspectedMessage;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import picocli.CommandLine;

/**
 * Both emulators, a configuration file pointing at them and an H2 ledger, the CLI run in-process on that
 * file, and a worker started when the test says so (so a test can dead-letter a good event before any
 * worker could take it).
 */
final class CliOnEmulators implements AutoCloseable {

    static final String QUEUE = "lifecycle-events";

    final EmbeddedEmulators emulators;
    final Path config;
    final WorkerSettings settings;
    final EventPublisher publisher;
    private final ServiceBusClientBuilder builder;
    private final ServiceBusSenderClient sender;
    private Worker worker;
    String out = "";
    String err = "";

    CliOnEmulators(Path directory) throws Exception {
        emulators = EmbeddedEmulators.start(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0,
                AcsEmulatorConfig.defaults());
        config = directory.resolve("cli.properties");
        // The local defaults plus the emulators and a ledger of our own; later keys win in a properties file.
        Files.writeString(config, Files.readString(Path.of("config/local.properties")) + "\n" + String.join("\n",
                "servicebus.connection-string=" + emulators.serviceBus().connectionString(),
                "acs.connection-string=" + emulators.acs().connectionString(),
                "acs.trusted-certificate-pem=" + emulators.acs().certificatePem(),
                "ledger.url=" + LedgerSettings.h2File(directory.resolve("ledger")).jdbcUrl(),
                "ledger.user=sa",
                "ledger.pool-size=4",
                "http.port=0") + "\n");
        settings = WorkerSettings.from(Config.load(config, Map.of()));
        builder = ServiceBusClients.builder(settings.serviceBus());
        sender = builder.sender().queueName(QUEUE).buildClient();
        publisher = new EventPublisher(sender);
    }

    Worker startWorker() {
        worker = Worker.start(settings, Clock.systemUTC());
        return worker;
    }

    /** A worker with some keys of the configuration changed. */
    Worker startWorker(Map<String, String> overrides) {
        worker = Worker.start(WorkerSettings.from(Config.load(config, Map.of()).with(overrides)), Clock.systemUTC());
        return worker;
    }

    /** Runs the CLI with {@code --config} appended; keeps what it printed in {@link #out} and {@link #err}. */
    int run(String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(outText, true));
        cli.setErr(new PrintWriter(errText, true));
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        int exit = cli.execute(withConfig);
        out = outText.toString();
        err = errText.toString();
        return exit;
    }

    void publish(String id, String type, String subject, String time) {
        publisher.publish(EventPublisher.cloudEvent(id, "/hr/test", type, subject, time, "test"));
    }

    /**
     * Takes the next message of a person (SessionId = subject) off the main queue and dead-letters it as the worker
     * would when retries run out: how a good event becomes a dead letter without waiting an hour of delayed retries.
     * The queue has no sessions (the default), so other people's messages it meets on the way are put back.
     */
    void deadLetterNext(String sessionId, String reason, String description, Map<String, Object> details) {
        try (ServiceBusReceiverClient receiver = builder.receiver().queueName(QUEUE).disableAutoComplete().buildClient()) {
            // One at a time, holding the others' locks until the end, so the same one is not met twice.
            List<ServiceBusReceivedMessage> others = new ArrayList<>();
            try {
                while (true) {
                    Iterator<ServiceBusReceivedMessage> received = receiver.receiveMessages(1, Duration.ofSeconds(10)).iterator();
                    if (!received.hasNext()) {
                        throw new AssertionError("no message of " + sessionId + " on " + QUEUE);
                    }
                    ServiceBusReceivedMessage message = received.next();
                    if (sessionId.equals(message.getSessionId())) {
                        receiver.deadLetter(message, new DeadLetterOptions().setDeadLetterReason(reason)
                                .setDeadLetterErrorDescription(description).setPropertiesToModify(details));
                        return;
                    }
                    others.add(message);
                }
            } finally {
                others.forEach(receiver::abandon);
            }
        }
    }

    List<InspectedMessage> deadLetters() throws Exception {
        return emulators.serviceBus().deadLetters(QUEUE);
    }

    Optional<PersonRecord> record(String subject) {
        return worker.ledger().history(subject).flatMap(PersonHistory::record);
    }

    java.util.List<org.acslifecycle.core.Operation> pendingOps() {
        return worker.ledger().operations(java.util.Set.of(org.acslifecycle.core.Operation.Status.PENDING), 100);
    }

    /** Whether the worker's journal has nothing left to do. */
    boolean journalDone() {
        return worker.ledger().operations(java.util.Set.of(org.acslifecycle.core.Operation.Status.PENDING), 1).isEmpty();
    }

    /** The identities the executor created for a person, oldest first (its EFFECT audit rows). */
    List<String> createdIdentities(String subject) {
        return audit(subject).stream().filter(row -> row.outcome() == AuditEntry.Outcome.EFFECT)
                .filter(row -> row.eventType().equals(Optional.of("operation.create")))
                .map(row -> row.acsUserId().orElseThrow()).toList();
    }

    List<AuditEntry> audit(String subject) {
        return worker.ledger().history(subject).map(PersonHistory::audit).orElse(List.of());
    }

    /** The audit rows' outcomes for one event id, oldest first. */
    /** How the event was handled, and by whom (the executor's EFFECT rows for its operations left out). */
    List<AuditEntry.Outcome> outcomesOf(String subject, String eventId) {
        return audit(subject).stream().filter(row -> row.eventId().equals(Optional.of(eventId)))
                .map(AuditEntry::outcome).filter(outcome -> outcome != AuditEntry.Outcome.EFFECT)
                .collect(Collectors.toList());
    }

    ServiceBusClientBuilder builder() {
        return builder;
    }

    @Override
    public void close() {
        sender.close();
        if (worker != null) {
            worker.close();
        }
        emulators.close();
    }
}
