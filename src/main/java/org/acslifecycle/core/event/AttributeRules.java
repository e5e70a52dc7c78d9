package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.ContractViolation.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.event.ContractViolation.Salvage;

/**
 * The attribute table of DESIGN §2, checked in table order so the first broken rule is the one reported;
 * the type's support is checked last, because {@code UnsupportedEventType} is reserved for events that are
 * otherwise valid. Extension attributes are not looked at: CloudEvents allows them, and the body limit
 * bounds them.
 */
final class AttributeRules {

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_SOURCE_LENGTH = 1024;
    static final int MAX_SUBJECT_LENGTH = 256;
    static final int MAX_REASON_LENGTH = 512;

    static final Pattern SUBJECT_CHARACTERS = Pattern.compile("[A-Za-z0-9._@:+-]*");

    /** How far after its {@code time} an event may take effect, unless configured otherwise. */
    static final java.time.Duration DEFAULT_MAX_EFFECTIVE_AHEAD = java.time.Duration.ofDays(400);

    private final TypeMapping mapping;
    private final java.time.Duration maxEffectiveAhead;

    AttributeRules(TypeMapping mapping, java.time.Duration maxEffectiveAhead) {
        this.mapping = mapping;
        this.maxEffectiveAhead = maxEffectiveAhead;
    }

    LifecycleEvent toEvent(Envelope envelope) throws ContractViolation {
        specVersion(envelope);
        String id = id(envelope);
        String source = source(envelope);
        String type = type(envelope);
        String subject = subject(envelope);
        Instant time = time(envelope);
        dataContentType(envelope);
        Optional<String> reason = reason(envelope);
        Optional<Instant> effectiveTime = effectiveTime(envelope, time);
        EventType eventType = mapping.resolve(type).orElseThrow(() -> ContractViolation.unsupportedType(
                "type " + SafeText.quote(type) + " is neither a canonical type nor mapped to one"));
        return new LifecycleEvent(new EventKey(source, id), eventType, type, subject, time, reason, effectiveTime);
    }

    /** {@code data.effectiveTime}: RFC 3339, and no further after {@code time} than the configured limit. */
    private Optional<Instant> effectiveTime(Envelope envelope, Instant time) throws ContractViolation {
        Optional<JsonNode> field = envelope.data().filter(JsonNode::isObject).map(data -> data.get("effectiveTime"))
                .filter(node -> !node.isNull());
        if (field.isEmpty()) {
            return Optional.empty();
        }
        if (!field.get().isTextual()) {
            throw invalid("data.effectiveTime", "string", "data.effectiveTime must be a string, got a JSON "
                    + kindOf(field.get()));
        }
        String text = field.get().textValue();
        Instant effective = Rfc3339.parse(text).orElseThrow(() -> invalid("data.effectiveTime", "rfc3339",
                "data.effectiveTime must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T17:00:00Z, got "
                        + SafeText.quote(text)));
        if (effective.isAfter(time.plus(maxEffectiveAhead))) {
            throw invalid("data.effectiveTime", "too-far-ahead", "data.effectiveTime " + text + " is more than "
                    + maxEffectiveAhead.toDays() + " days after the event's time " + time
                    + " (events.max-effective-ahead)");
        }
        return Optional.of(effective);
    }

    /** Each identifying attribute that passes its own rule, whatever else is wrong with the event. */
    static Salvage salvage(Envelope envelope) {
        return new Salvage(valid(AttributeRules::id, envelope), valid(AttributeRules::source, envelope),
                valid(AttributeRules::type, envelope), valid(AttributeRules::subject, envelope));
    }

    private interface Rule {
        String apply(Envelope envelope) throws ContractViolation;
    }

    private static Optional<String> valid(Rule rule, Envelope envelope) {
        try {
            return Optional.of(rule.apply(envelope));
        } catch (ContractViolation notValid) {
            return Optional.empty();
        }
    }

    private static void specVersion(Envelope envelope) throws ContractViolation {
        String version = string(envelope, "specversion");
        if (!version.equals("1.0")) {
            throw invalid("specversion", "version-1.0",
                    "specversion must be \"1.0\", got " + SafeText.quote(version));
        }
    }

    private static String id(Envelope envelope) throws ContractViolation {
        String id = string(envelope, "id");
        length("id", id, MAX_ID_LENGTH);
        cloudEventsCharacters("id", id);
        return id;
    }

    private static String source(Envelope envelope) throws ContractViolation {
        String source = string(envelope, "source");
        length("source", source, MAX_SOURCE_LENGTH);
        cloudEventsCharacters("source", source);
        try {
            new URI(source);
        } catch (URISyntaxException e) {
            throw invalid("source", "uri-reference",
                    "source must be a URI-reference such as /hr/workday, got " + SafeText.quote(source));
        }
        return source;
    }

    /** Only the form: whether the type is supported is decided last, in {@link #toEvent}. */
    private static String type(Envelope envelope) throws ContractViolation {
        String type = string(envelope, "type");
        length("type", type, TypeMapping.MAX_TYPE_LENGTH);
        cloudEventsCharacters("type", type);
        return type;
    }

    private static String subject(Envelope envelope) throws ContractViolation {
        String subject = string(envelope, "subject");
        length("subject", subject, MAX_SUBJECT_LENGTH);
        if (!SUBJECT_CHARACTERS.matcher(subject).matches()) {
            throw invalid("subject", "pattern",
                    "subject may only hold A-Z a-z 0-9 . _ @ : + -, got " + SafeText.quote(subject));
        }
        return subject;
    }

    private static Instant time(Envelope envelope) throws ContractViolation {
        Object time = required(envelope, "time");
        // The AMQP binding may carry time as an AMQP timestamp, which SDKs surface as Date or java.time types.
        if (time instanceof Date date) {
            return Instant.ofEpochMilli(date.getTime()); // not toInstant(): java.sql.Date throws there
        } else if (time instanceof Instant instant) {
            return instant;
        } else if (time instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        } else if (time instanceof ZonedDateTime zonedDateTime) {
            return zonedDateTime.toInstant();
        }
        String text = string(envelope, "time");
        return Rfc3339.parse(text).orElseThrow(() -> invalid("time", "rfc3339",
                "time must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T09:30:00Z, got "
                        + SafeText.quote(text)));
    }

    /** Also called by binary mode before the body is read: a body declared as something else is not parsed. */
    static void dataContentType(Envelope envelope) throws ContractViolation {
        if (!envelope.attributes().containsKey("datacontenttype")) {
            return; // absent means JSON, in the JSON format and (by our choice) in binary mode
        }
        String text = string(envelope, "datacontenttype");
        Optional<MediaType> mediaType = MediaType.parse(text);
        if (mediaType.isEmpty() || !mediaType.get().isJson()) {
            throw invalid("datacontenttype", "json",
                    "datacontenttype must be application/json, got " + SafeText.quote(text));
        }
        if (!mediaType.get().allowsUtf8()) {
            throw invalid("datacontenttype", "charset-utf-8",
                    "datacontenttype must be UTF-8 encoded, got " + SafeText.quote(text));
        }
    }

    private static Optional<String> reason(Envelope envelope) throws ContractViolation {
        if (envelope.attributes().containsKey("data_base64")) {
            throw invalid("data_base64", "not-supported", "data_base64 is not supported: data must be a JSON object");
        }
        if (envelope.data().isEmpty()) {
            return Optional.empty();
        }
        JsonNode data = envelope.data().get();
        if (!data.isObject()) {
            throw invalid("data", "json-object", "data must be a JSON object, got a JSON " + kindOf(data));
        }
        JsonNode reason = data.get("reason");
        if (reason == null || reason.isNull()) {
            return Optional.empty();
        }
        if (!reason.isTextual()) {
            throw invalid("data.reason", "string", "data.reason must be a string, got a JSON " + kindOf(reason));
        }
        String text = reason.textValue();
        length("data.reason", text, MAX_REASON_LENGTH);
        reasonCharacters(text);
        return Optional.of(text);
    }

    private static Object required(Envelope envelope, String name) throws ContractViolation {
        Object value = envelope.attributes().get(name);
        if (value == null) {
            throw invalid(name, "required", name + " is required");
        }
        return value;
    }

    private static String string(Envelope envelope, String name) throws ContractViolation {
        Object value = required(envelope, name);
        if (value instanceof String text) {
            return text;
        }
        throw invalid(name, "string", name + " must be a string, got " + kindOf(value));
    }

    /** Lengths count code points, so a name in any script gets the same allowance. */
    private static void length(String name, String value, int max) throws ContractViolation {
        int length = value.codePointCount(0, value.length());
        if (length < 1 || length > max) {
            throw invalid(name, "length", name + " must be 1-" + max + " characters, got " + length);
        }
    }

    /**
     * CloudEvents' String type excludes control characters, surrogates and noncharacters; we hold the
     * identifying attributes to it because they end up in keys, logs and dead-letter properties.
     */
    private static void cloudEventsCharacters(String name, String value) throws ContractViolation {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE
                    || isNonCharacter(codePoint)) {
                throw invalid(name, "characters", name + " holds a control character, lone surrogate or "
                        + "noncharacter at position " + i + ": " + SafeText.quote(value));
            }
            i += Character.charCount(codePoint);
        }
    }

    /**
     * Free text for the audit trail: line breaks and tabs are fine, other control characters (NUL, which
     * PostgreSQL text cannot store, escape sequences) and lone surrogates are not.
     */
    private static void reasonCharacters(String reason) throws ContractViolation {
        for (int i = 0; i < reason.length(); ) {
            int codePoint = reason.codePointAt(i);
            boolean whitespace = codePoint == '\t' || codePoint == '\n' || codePoint == '\r';
            if ((Character.isISOControl(codePoint) && !whitespace) || Character.getType(codePoint) == Character.SURROGATE) {
                throw invalid("data.reason", "characters",
                        "data.reason holds a control character or lone surrogate at position " + i);
            }
            i += Character.charCount(codePoint);
        }
    }

    private static boolean isNonCharacter(int codePoint) {
        return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

    /** A safe name for what a value is, never the value itself. */
    static String kindOf(Object value) {
        if (value instanceof JsonNode node) {
            return node.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        return value.getClass().getSimpleName();
    }
}
