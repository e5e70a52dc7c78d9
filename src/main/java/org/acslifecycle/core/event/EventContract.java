package org.acslifecycle.core.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.event.ContractViolation.Salvage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event contract of DESIGN §2: turns a Service Bus message into a {@link ParsedEvent.Accepted} lifecycle
 * event or a {@link ParsedEvent.Rejected} naming the attribute and the rule that failed. Bad input never
 * surfaces as an exception. Thread-safe; one instance serves all receivers.
 *
 * <p>Which CloudEvents mode a message uses is decided from its envelope alone, as the AMQP binding says:
 * <ul>
 *   <li>content-type {@code application/cloudevents+json}: structured mode;</li>
 *   <li>otherwise, any {@code cloudEvents_}/{@code cloudEvents:} application property: binary mode;</li>
 *   <li>otherwise, no content-type: the body is read as a structured event (publishers that forget the
 *       content-type still send CloudEvent objects);</li>
 *   <li>anything else is rejected on its content-type.</li>
 * </ul>
 */
public final class EventContract {

    /** DESIGN §2: body ≤ 64 KiB, checked before anything is parsed. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EventContract.class);

    private final AttributeRules rules;
    private final StrictJson json = new StrictJson();

    public EventContract(TypeMapping mapping) {
        this(mapping, AttributeRules.DEFAULT_MAX_EFFECTIVE_AHEAD);
    }

    /** @param maxEffectiveAhead how far after its {@code time} an event's {@code data.effectiveTime} may be */
    public EventContract(TypeMapping mapping, java.time.Duration maxEffectiveAhead) {
        this.rules = new AttributeRules(Objects.requireNonNull(mapping, "mapping"),
                Objects.requireNonNull(maxEffectiveAhead, "maxEffectiveAhead"));
    }

    public ParsedEvent parse(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        Envelope envelope = Envelope.EMPTY;
        try {
            boolean binary = isBinaryMode(message);
            if (binary) {
                // Read before the body so that a rejection for the body can still name the event it was.
                envelope = new Envelope(BinaryBinding.attributes(message.applicationProperties(), message.contentType()),
                        Optional.empty());
                BinaryBinding.requireOneSeparator(message.applicationProperties());
                AttributeRules.dataContentType(envelope);
            }
            requireBodyWithinLimit(message.body());
            envelope = binary
                    ? envelope.withData(BinaryBinding.data(message.body(), json))
                    : StructuredFormat.read(message.body(), json);
            return new ParsedEvent.Accepted(rules.toEvent(envelope)
                    .withTrace(TraceHeaders.of(envelope, message.applicationProperties())));
        } catch (ContractViolation violation) {
            return new ParsedEvent.Rejected(violation.toRejection(AttributeRules.salvage(envelope)));
        } catch (RuntimeException bug) {
            // Only a defect in this package gets here. The contract promises callers a result, not an exception;
            // the rule name makes the defect visible on the dead letter. The exception's message may quote input,
            // so only its class and origin are logged.
            LOG.error("Event contract defect {} at {}", bug.getClass().getName(),
                    bug.getStackTrace().length > 0 ? bug.getStackTrace()[0] : "unknown");
            return new ParsedEvent.Rejected(ContractViolation.invalid("message", "internal-error",
                            "the event contract failed on this message (" + bug.getClass().getSimpleName() + ")")
                    .toRejection(Salvage.NOTHING));
        }
    }

    private static boolean isBinaryMode(InboundMessage message) throws ContractViolation {
        Map<String, Object> properties = message.applicationProperties();
        if (message.contentType().isEmpty()) {
            return BinaryBinding.applies(properties);
        }
        String text = message.contentType().get();
        MediaType contentType = MediaType.parse(text).orElseThrow(() -> ContractViolation.invalid("content-type",
                "media-type", "content-type is not a media type: " + SafeText.quote(text)));
        if (contentType.isStructuredCloudEvent()) {
            if (!contentType.allowsUtf8()) {
                throw ContractViolation.invalid("content-type", "charset-utf-8",
                        "content-type must be UTF-8 encoded, got " + SafeText.quote(text));
            }
            return false;
        }
        if (contentType.isOtherCloudEventsFormat()) {
            throw ContractViolation.invalid("content-type", "cloudevents-json",
                    "only single events in the JSON format (" + MediaType.CLOUDEVENTS_JSON + ") are read, got "
                            + SafeText.quote(text));
        }
        if (BinaryBinding.applies(properties)) {
            return true;
        }
        throw ContractViolation.invalid("content-type", "cloudevents-mode",
                "content-type " + SafeText.quote(text) + " is not " + MediaType.CLOUDEVENTS_JSON
                        + " and no cloudEvents_ application properties make it a binary-mode event");
    }

    private static void requireBodyWithinLimit(byte[] body) throws ContractViolation {
        if (body.length > MAX_BODY_BYTES) {
            throw ContractViolation.invalid("body", "max-size",
                    "body is " + body.length + " bytes, over the " + MAX_BODY_BYTES + "-byte limit");
        }
    }
}
