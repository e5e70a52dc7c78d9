package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import java.io.Console;
import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.messaging.DeadLetter;
import org.acslifecycle.messaging.DeadLetterQueue;
import org.acslifecycle.messaging.ServiceBusSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq list|show|replay|purge}: the lifecycle queue's dead letters, for operators (DESIGN §5). */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "List, show, replay (resubmit to the queue) and purge the lifecycle queue's dead letters.",
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class,
                DlqCommand.Purge.class})
final class DlqCommand implements Runnable {

    static final int NOT_FOUND = LedgerCommand.NOT_FOUND;
    static final int REFUSED = OperatorOptions.REFUSED;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static DeadLetterQueue open(Config config) {
        ServiceBusSettings settings = WorkerSettings.serviceBus(config);
        return new DeadLetterQueue(settings, AzureCredentials.shared(config));
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List dead letters, oldest first, without removing them (the body is not printed).")
    static final class ListDeadLetters implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;

        @Option(names = "--max", paramLabel = "N", defaultValue = "100", description = "At most N (default: ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            if (max < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max must be at least 1");
            }
            try (DeadLetterQueue dlq = open(configOptions.config())) {
                List<DeadLetter> deadLetters = dlq.peek(max).stream().map(DeadLetter::of).toList();
                PrintWriter out = spec.commandLine().getOut();
                out.println(json ? Json.write(deadLetters) : Text.list(dlq.queue(), deadLetters));
                if (!json && deadLetters.size() == max) {
                    out.println("(the first " + max + "; --max for more)");
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print one dead letter in full, body included (text if UTF-8 JSON, else base64).")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;

        @Parameters(paramLabel = "SEQUENCE_NUMBER", description = "The dead letter's sequence number (see dlq list).")
        long sequenceNumber;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            try (DeadLetterQueue dlq = open(configOptions.config())) {
                Optional<ServiceBusReceivedMessage> message = dlq.peek(sequenceNumber);
                if (message.isEmpty()) {
                    spec.commandLine().getErr().println("No dead letter with sequence number " + sequenceNumber
                            + " in " + dlq.queue() + ".");
                    return NOT_FOUND;
                }
                FullDeadLetter full = FullDeadLetter.of(message.get());
                spec.commandLine().getOut().println(json ? Json.write(full) : Text.full(full));
                return 0;
            }
        }
    }

    /** One dead letter with everything Service Bus holds for it. */
    record FullDeadLetter(DeadLetter summary, String contentType, String correlationId, String subject,
            long deliveryCount, OffsetDateTime expiresAt, String deadLetterSource, Map<String, Object> applicationProperties,
            Body body) {

        static FullDeadLetter of(ServiceBusReceivedMessage message) {
            // The SDK reports enqueued time + the message's own time-to-live; a message that never set one (the
            // queue's default applies) shows "expires" equal to "enqueued", which would mislead: leave it out.
            OffsetDateTime expiresAt = message.getExpiresAt() != null && message.getEnqueuedTime() != null
                    && message.getExpiresAt().isAfter(message.getEnqueuedTime()) ? message.getExpiresAt() : null;
            return new FullDeadLetter(DeadLetter.of(message), message.getContentType(), message.getCorrelationId(),
                    message.getSubject(), message.getDeliveryCount(), expiresAt,
                    message.getDeadLetterSource(), new TreeMap<>(message.getApplicationProperties()),
                    Body.of(DeadLetter.bodyOf(message)));
        }
    }

    /** @param encoding {@code json} (the text is the body, valid UTF-8 JSON) or {@code base64} */
    record Body(String encoding, String text) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        static Body of(byte[] bytes) {
            Optional<String> text = DeadLetter.utf8(bytes);
            if (text.isPresent() && isJson(bytes)) {
                return new Body("json", text.get());
            }
            return new Body("base64", Base64.getEncoder().encodeToString(bytes));
        }

        private static boolean isJson(byte[] bytes) {
            try {
                var node = JSON.readTree(bytes);
                return node != null && !node.isMissingNode();
            } catch (java.io.IOException notJson) {
                return false;
            }
        }
    }

    /** Which dead letters, why, and who asks: shared by replay and purge. */
    static final class SettleOptions {
        static final class Targets {
            @Parameters(paramLabel = "SEQUENCE_NUMBER", arity = "1..*", description = "Sequence numbers (see dlq list).")
            List<Long> sequenceNumbers;

            @Option(names = "--all", required = true, description = "Every dead letter there is now.")
            boolean all;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why, for the audit trail.")
        String reason;

        @Option(names = "--operator", paramLabel = "NAME", defaultValue = "${env:USER:-operator}",
                description = "Who is acting, for the audit trail (default: $USER).")
        String operator;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;
    }

    /** What replay and purge share: find the targets, act on each in PEEK_LOCK, audit each, report. */
    abstract static class Settle implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions configOptions;
        @Mixin SettleOptions options;

        abstract String verb();

        /** Settles one dead letter and returns what became of it, for the report (e.g. the new MessageId). */
        abstract String act(DeadLetterQueue dlq, ServiceBusReceivedMessage deadLetter);

        /** Last word before acting; empty to go on, else the exit code. */
        Optional<Integer> confirm(DeadLetterQueue dlq, Set<Long> targets) {
            return Optional.empty();
        }

        @Override
        public Integer call() {
            Config config = configOptions.config();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (DeadLetterQueue dlq = open(config); Wiring wiring = Wiring.from(config)) {
                JdbcLedger ledger = wiring.ledger();
                Set<Long> targets = new LinkedHashSet<>();
                if (options.targets.all) {
                    // A snapshot: letters dead-lettered while this runs are not swept up unseen.
                    dlq.peek(Integer.MAX_VALUE).forEach(m -> targets.add(m.getSequenceNumber()));
                } else {
                    for (long sequenceNumber : options.targets.sequenceNumbers) {
                        if (dlq.peek(sequenceNumber).isEmpty()) {
                            err.println("No dead letter with sequence number " + sequenceNumber + " in " + dlq.queue()
                                    + "; nothing " + verb() + ".");
                            return NOT_FOUND;
                        }
                        targets.add(sequenceNumber);
                    }
                }
                if (targets.isEmpty()) {
                    out.println(options.json ? Json.write(List.of()) : "No dead letters in " + dlq.queue() + ".");
                    return 0;
                }
                Optional<Integer> refused = confirm(dlq, targets);
                if (refused.isPresent()) {
                    return refused.get();
                }
                List<Map<String, Object>> report = new ArrayList<>();
                List<Long> unaudited = new ArrayList<>();
                dlq.receiveEach(targets, deadLetter -> {
                    String result = act(dlq, deadLetter);
                    // Recorded after the settlement: the audit says what was done, not what was meant. If the
                    // ledger fails now the deed is done all the same: say so loudly rather than stop half-way.
                    boolean audited = true;
                    try {
                        ledger.audit(audit(DeadLetter.of(deadLetter)));
                    } catch (RuntimeException ledgerFailure) {
                        audited = false;
                        unaudited.add(deadLetter.getSequenceNumber());
                        err.println("dead letter " + deadLetter.getSequenceNumber() + " was " + verb()
                                + " but the ledger could not record it: " + ledgerFailure.getMessage());
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sequenceNumber", deadLetter.getSequenceNumber());
                    row.put("messageId", deadLetter.getMessageId());
                    row.put("result", result);
                    row.put("audited", audited);
                    report.add(row);
                    if (!options.json) {
                        out.printf("%s dead letter %d (%s)%s%n", verb(), deadLetter.getSequenceNumber(),
                                Text.printable(deadLetter.getDeadLetterReason()), result.isEmpty() ? "" : ": " + result);
                    }
                });
                if (options.json) {
                    out.println(Json.write(report));
                }
                boolean missed = report.size() < targets.size();
                if (missed) {
                    err.println((targets.size() - report.size()) + " dead letter(s) could not be received (settled by "
                            + "someone else meanwhile, or locked by another receiver); nothing done to them.");
                }
                return !unaudited.isEmpty() ? 1 : missed ? NOT_FOUND : 0;
            }
        }

        private AuditEntry audit(DeadLetter deadLetter) {
            Optional<DeadLetter.EventSummary> event = deadLetter.event();
            return new AuditEntry(event.flatMap(DeadLetter.EventSummary::id), event.flatMap(DeadLetter.EventSummary::source),
                    event.flatMap(DeadLetter.EventSummary::type), event.flatMap(DeadLetter.EventSummary::subject),
                    event.flatMap(DeadLetter.EventSummary::time), AuditEntry.Outcome.OPERATOR, Optional.empty(),
                    Optional.of(verb() + " dead letter " + deadLetter.sequenceNumber() + " (" + deadLetter.reason() + "): "
                            + options.reason), options.operator, Wiring.CLOCK.instant());
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Resubmit dead letters to the queue (same event, new MessageId) and remove them from the DLQ.")
    static final class Replay extends Settle {
        @Override
        String verb() {
            return "replayed";
        }

        /**
         * Send the copy, then complete the dead letter. In this order a crash loses nothing: before the send
         * the dead letter is still there (its lock just expires); between send and complete it is still there
         * too, and replaying it again sends the same derived MessageId, which duplicate detection drops (and past
         * its window the ledger knows the CloudEvent id and records a DUPLICATE). Completing first could lose
         * the event for good.
         */
        @Override
        String act(DeadLetterQueue dlq, ServiceBusReceivedMessage deadLetter) {
            ServiceBusMessage copy = DeadLetterQueue.replayCopy(deadLetter, options.operator, options.reason);
            dlq.send(copy);
            dlq.complete(deadLetter);
            return "sent as message " + copy.getMessageId();
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Remove dead letters for good. Asks first unless --yes; with no console to ask on, refuses.")
    static final class Purge extends Settle {
        @Option(names = "--yes", description = "Do not ask: purge.")
        boolean yes;

        @Override
        String verb() {
            return "purged";
        }

        @Override
        Optional<Integer> confirm(DeadLetterQueue dlq, Set<Long> targets) {
            if (yes) {
                return Optional.empty();
            }
            Console console = System.console();
            if (console == null) {
                spec.commandLine().getErr().println("refused: purge removes " + targets.size() + " dead letter(s) for "
                        + "good and there is no console to ask on; pass --yes to confirm.");
                return Optional.of(REFUSED);
            }
            String answer = console.readLine("Purge %d dead letter(s) from %s for good? [y/N] ", targets.size(), dlq.queue());
            if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                spec.commandLine().getErr().println("Not purged.");
                return Optional.of(REFUSED);
            }
            return Optional.empty();
        }

        @Override
        String act(DeadLetterQueue dlq, ServiceBusReceivedMessage deadLetter) {
            dlq.complete(deadLetter);
            return "";
        }
    }

    /** The human-readable forms; every value from a message is escaped, as it may be hostile. */
    static final class Text {
        private Text() {}

        static String list(String queue, List<DeadLetter> deadLetters) {
            if (deadLetters.isEmpty()) {
                return "No dead letters in " + queue + ".";
            }
            StringBuilder text = new StringBuilder();
            for (DeadLetter d : deadLetters) {
                text.append(String.format("#%d  %s  message %s  session %s%n", d.sequenceNumber(), d.enqueuedTime(),
                        printable(d.messageId()), printable(d.sessionId())));
                text.append(String.format("    %s: %s%n", printable(d.reason()), printable(d.description())));
                text.append("    ").append(event(d)).append(String.format("%n"));
                if (!d.details().isEmpty()) {
                    text.append("    ").append(details(d.details())).append(String.format("%n"));
                }
            }
            return text.toString().stripTrailing();
        }

        static String full(FullDeadLetter full) {
            DeadLetter d = full.summary();
            StringBuilder text = new StringBuilder(list("", List.of(d))).append(String.format("%n"));
            text.append(String.format("    content type %s, delivery count %d%s%s%n", printable(full.contentType()),
                    full.deliveryCount(), full.expiresAt() == null ? "" : ", expires " + full.expiresAt(),
                    full.deadLetterSource() == null ? "" : ", from " + printable(full.deadLetterSource())));
            text.append("    application properties: ").append(details(full.applicationProperties())).append(String.format("%n"));
            text.append(String.format("body (%s, %d bytes):%n", full.body().encoding(), d.bodyBytes()));
            text.append(full.body().encoding().equals("json") ? printableKeepingLines(full.body().text()) : full.body().text());
            return text.toString();
        }

        private static String event(DeadLetter d) {
            return d.event().map(e -> String.format("event id %s, type %s, subject %s",
                    printable(e.id().orElse("-")), printable(e.type().orElse("-")), printable(e.subject().orElse("-"))))
                    .orElse("body is not a CloudEvent (" + d.bodyBytes() + " bytes; dlq show prints it)");
        }

        private static String details(Map<String, Object> properties) {
            StringBuilder text = new StringBuilder();
            properties.forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ")
                    .append(printable(key)).append('=').append(printable(String.valueOf(value))));
            return text.toString();
        }

        /** Control and format characters escaped, so a value cannot forge lines or drive the terminal. */
        static String printable(String value) {
            if (value == null) {
                return "-";
            }
            StringBuilder out = new StringBuilder(value.length());
            value.codePoints().forEach(c -> {
                int kind = Character.getType(c);
                if (Character.isISOControl(c) || kind == Character.FORMAT || kind == Character.LINE_SEPARATOR
                        || kind == Character.PARAGRAPH_SEPARATOR) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            });
            return out.toString();
        }

        private static String printableKeepingLines(String text) {
            StringBuilder out = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                out.append(out.length() == 0 ? "" : "\n").append(printable(line.replace("\r", "")));
            }
            return out.toString();
        }
    }
}
