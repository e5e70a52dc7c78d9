package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code publish}: sends lifecycle events to the queue as a well-behaved publisher does (structured CloudEvents,
 * MessageId derived from the event's source and id by {@link org.acslifecycle.messaging.MessageIds}, SessionId =
 * subject), one from flags or many from a JSON-lines file. For trying the
 * worker out and for operators re-sending an event HR lost.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish lifecycle events: one from flags, or one per line of a JSON-lines file of "
                + "structured CloudEvents. Prints the MessageIds sent (name-based UUIDs of source and id).")
final class PublishCommand implements Callable<Integer> {

    static final int NOT_FOUND = LedgerCommand.NOT_FOUND;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** Either one event from flags or a file of them. */
    static final class Source {
        @ArgGroup(exclusive = false, multiplicity = "1")
        EventFlags event;

        @Option(names = "--file", paramLabel = "FILE", required = true,
                description = "JSON-lines file: one structured CloudEvent JSON object per line (blank lines skipped).")
        Path file;
    }

    static final class EventFlags {
        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "CloudEvent type, e.g. user.onboarded.")
        String type;

        @Option(names = "--subject", required = true, paramLabel = "EXTERNAL_ID", description = "The person's id in HR/IAM.")
        String subject;

        @Option(names = "--id", paramLabel = "ID", description = "Event id (default: a random UUID).")
        String id;

        @Option(names = "--source", paramLabel = "URI", defaultValue = "/hr/cli", description = "Event source (default: ${DEFAULT-VALUE}).")
        String source;

        @Option(names = "--time", paramLabel = "RFC3339", description = "When it happened (default: now).")
        String time;

        @Option(names = "--reason", paramLabel = "TEXT", description = "data.reason of the event.")
        String reason;

        @Option(names = "--effective-time", paramLabel = "RFC3339",
                description = "data.effectiveTime: when the change takes effect (default: when it happened).")
        String effectiveTime;
    }

    @Override
    public Integer call() {
        List<byte[]> events;
        if (source.file != null) {
            try {
                events = EventsFile.read(source.file);
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("No such file: " + source.file);
                return NOT_FOUND;
            }
        } else {
            events = List.of(fromFlags(source.event));
        }
        // Everything is read and checked before the first send: a bad file sends nothing.
        ServiceBusSettings settings = WorkerSettings.serviceBus(configOptions.config());
        List<String> sent = new ArrayList<>();
        try (ServiceBusSenderClient sender = ServiceBusClients.builder(settings,
                        AzureCredentials.shared(configOptions.config()))
                .sender().queueName(settings.queue())
                .buildClient()) {
            EventPublisher publisher = new EventPublisher(sender);
            for (byte[] event : events) {
                sent.add(publisher.publish(event));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(Map.of("queue", settings.queue(), "messageIds", sent)));
        } else {
            sent.forEach(id -> out.println("sent " + DlqCommand.Text.printable(id)));
        }
        return 0;
    }

    private byte[] fromFlags(EventFlags flags) {
        String time = flags.time == null ? Instant.now().toString() : flags.time;
        try {
            OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--time must be an RFC 3339 date-time such as "
                    + "2026-01-31T09:00:00Z, was '" + time + "'");
        }
        if (flags.effectiveTime != null) {
            try {
                OffsetDateTime.parse(flags.effectiveTime);
            } catch (DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), "--effective-time must be an RFC 3339 date-time such"
                        + " as 2026-01-31T17:00:00Z, was '" + flags.effectiveTime + "'");
            }
        }
        String id = flags.id == null ? UUID.randomUUID().toString() : flags.id;
        return EventPublisher.cloudEvent(id, flags.source, flags.type, flags.subject, time, flags.reason,
                flags.effectiveTime);
    }

    /** A JSON-lines file of structured CloudEvents, each line checked to be a JSON object. */
    static final class EventsFile {
        // Trailing tokens fail: "{} {}" on one line is two values, not one event.
        private static final ObjectMapper JSON = new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        private EventsFile() {}

        static List<byte[]> read(Path file) throws NoSuchFileException {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
            List<byte[]> events = new ArrayList<>();
            for (int index = 0; index < lines.size(); index++) {
                String line = lines.get(index);
                if (line.isBlank()) {
                    continue;
                }
                if (!isJsonObject(line)) {
                    throw new IllegalArgumentException(file + " line " + (index + 1)
                            + " is not a JSON object; nothing was sent");
                }
                events.add(line.strip().getBytes(StandardCharsets.UTF_8));
            }
            return events;
        }

        private static boolean isJsonObject(String line) {
            try {
                JsonNode node = JSON.readTree(line);
                return node != null && node.isObject();
            } catch (IOException notJson) {
                return false;
            }
        }
    }
}
