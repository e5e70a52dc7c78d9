package org.acslifecycle.core.event;

import java.time.Instant;
import java.util.Optional;

/**
 * The event contract's field rules (DESIGN §2) for code outside this package that must hold values to them
 * before they become events, such as the roster reconciliation.
 */
public final class EventFields {

    /** The longest {@code data.reason} an event may carry. */
    public static final int MAX_REASON_LENGTH = AttributeRules.MAX_REASON_LENGTH;

    private EventFields() {}

    /** Whether {@code subject} is a valid external user id: 1–256 characters of {@code [A-Za-z0-9._@:+-]}. */
    public static boolean isValidSubject(String subject) {
        return !subject.isEmpty() && subject.length() <= AttributeRules.MAX_SUBJECT_LENGTH
                && AttributeRules.SUBJECT_CHARACTERS.matcher(subject).matches();
    }

    /** The instant of a strict RFC 3339 date-time (offset required), or empty. */
    public static Optional<Instant> parseTime(String text) {
        return Rfc3339.parse(text);
    }
}
