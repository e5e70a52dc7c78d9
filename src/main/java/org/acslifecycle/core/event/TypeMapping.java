package org.acslifecycle.core.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.EventType;

/**
 * Which CloudEvent {@code type} values the worker understands: the four canonical types always, plus
 * publisher types configured to stand for one of them (e.g. {@code com.contoso.hr.Termination → OFFBOARDED}).
 *
 * <p>The constructor validates like a config record: it is built once at start-up, and a mapping that
 * would redefine a canonical type is a configuration mistake to fail on, not something to resolve silently.
 */
public record TypeMapping(Map<String, EventType> publisherTypes) {

    /** Longer types are rejected by the contract before lookup, so a longer key could never match. */
    static final int MAX_TYPE_LENGTH = 256;

    public TypeMapping {
        Objects.requireNonNull(publisherTypes, "publisherTypes");
        publisherTypes.forEach((type, eventType) -> {
            if (type == null || type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
                throw new IllegalArgumentException(
                        "publisher type must be 1-" + MAX_TYPE_LENGTH + " characters, got " + type);
            }
            if (eventType == null) {
                throw new IllegalArgumentException("publisher type " + type + " maps to nothing");
            }
            EventType.fromCloudEventType(type).filter(canonical -> canonical != eventType).ifPresent(canonical -> {
                throw new IllegalArgumentException("publisher type " + type + " is the canonical type of "
                        + canonical + " and cannot be mapped to " + eventType);
            });
        });
        publisherTypes = Map.copyOf(publisherTypes);
    }

    /** Only the four canonical types. */
    public static TypeMapping canonicalOnly() {
        return new TypeMapping(Map.of());
    }

    /** The canonical type a CloudEvent {@code type} stands for, if any (exact, case-sensitive match). */
    public Optional<EventType> resolve(String type) {
        if (type == null) {
            return Optional.empty(); // the immutable map refuses null lookups
        }
        Optional<EventType> canonical = EventType.fromCloudEventType(type);
        return canonical.isPresent() ? canonical : Optional.ofNullable(publisherTypes.get(type));
    }
}
