package org.acslifecycle.core.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3339 §5.6 {@code date-time}, strictly: the offset is required, the separator is {@code T} (or
 * {@code t}), the date must exist. {@code java.time}'s ISO parsers are more lenient than that (they take
 * forms RFC 3339 does not), hence this small grammar.
 */
final class Rfc3339 {

    /** The longest legitimate value is about 35 characters (nanoseconds and an offset). */
    static final int MAX_LENGTH = 64;

    private static final Pattern DATE_TIME = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})"
                    + "(?:\\.([0-9]+))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))");

    private Rfc3339() {
    }

    /** The instant, or empty if the text is not an RFC 3339 date-time naming a real moment. */
    static Optional<Instant> parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = DATE_TIME.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int second = number(m, 6);
        int nanos = m.group(7) == null ? 0 : nanos(m.group(7));
        if (second == 60) {
            // A leap second: Instant has none, so it becomes the last instant of that minute, which keeps order.
            second = 59;
            nanos = 999_999_999;
        }
        int offsetHours = m.group(8) == null ? 0 : number(m, 9);
        int offsetMinutes = m.group(8) == null ? 0 : number(m, 10);
        if (offsetHours > 23 || offsetMinutes > 59) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.of(number(m, 1), number(m, 2), number(m, 3), number(m, 4), number(m, 5),
                    second, nanos);
            int offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * ("-".equals(m.group(8)) ? -1 : 1);
            return Optional.of(local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return Optional.empty(); // e.g. 2026-02-30 or hour 24: the grammar allows the digits, the calendar not
        }
    }

    private static int number(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Digits beyond nanoseconds are dropped: Instant cannot hold them and ordering to the nanosecond is plenty. */
    private static int nanos(String fraction) {
        String nine = fraction.length() >= 9 ? fraction.substring(0, 9) : (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(nine);
    }
}
