package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accept;
import static org.acslifecycle.core.event.ParsedEvents.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code time} is RFC 3339 §5.6 exactly: what java.time's lenient ISO parsers would also take is refused. */
class TimeRuleTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2026-01-31T09:30:00Z,                 2026-01-31T09:30:00Z",
            "2026-01-31t09:30:00z,                 2026-01-31T09:30:00Z",
            "2026-01-31T09:30:00.5Z,               2026-01-31T09:30:00.500Z",
            "2026-01-31T10:30:00.123456789+01:00,  2026-01-31T09:30:00.123456789Z",
            "2026-01-31T09:30:00.1234567891234Z,   2026-01-31T09:30:00.123456789Z",
            "2026-01-31T04:00:00-05:30,            2026-01-31T09:30:00Z",
            "2026-01-31T09:30:00-00:00,            2026-01-31T09:30:00Z",
            "2024-02-29T00:00:00Z,                 2024-02-29T00:00:00Z",
            "2016-12-31T23:59:60Z,                 2016-12-31T23:59:59.999999999Z",
            "2026-01-31T23:30:00+23:59,            2026-01-30T23:31:00Z",
    })
    void acceptsRfc3339DateTimesAsInstants(String time, String instant) {
        assertThat(accept(anEvent().with("time", time).structured()).time()).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-01-31T09:30:00",           // no offset
            "2026-02-30T00:00:00Z",          // no such day
            "2025-02-29T00:00:00Z",          // not a leap year
            "2026-13-01T00:00:00Z",          // no such month
            "2026-01-31T24:00:00Z",          // hour 24
            "2026-01-31T09:60:00Z",          // minute 60
            "2026-01-31T09:30:61Z",          // second 61
            "2026-01-31 09:30:00Z",          // space separator
            "2026-01-31",                    // date only
            "09:30:00Z",                     // time only
            "2026-1-31T09:30:00Z",           // one-digit month
            "2026-01-31T09:30Z",             // no seconds
            "2026-01-31T09:30:00+0100",      // offset without colon
            "2026-01-31T09:30:00+01",        // offset without minutes
            "2026-01-31T09:30:00+24:00",     // offset hour out of range
            "2026-01-31T09:30:00.Z",         // empty fraction
            "2026-01-31T09:30:00,5Z",        // comma fraction
            "+2026-01-31T09:30:00Z",         // expanded year
            "20260131T093000Z",              // ISO basic format
            "2026-01-31T09:30:00Z[UTC]",     // zone id suffix
            " 2026-01-31T09:30:00Z",         // leading space
            "２０２６-01-31T09:30:00Z",         // non-ASCII digits
            "1769851800",                    // epoch seconds as text
            ""})
    void rejectsAnythingElseNamingTheTimeAndTheRule(String time) {
        Rejection rejection = reject(anEvent().with("time", time).structured());

        assertThat(rejection.attribute()).isEqualTo("time");
        assertThat(rejection.rule()).isEqualTo("rfc3339");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 65, 10_000})
    void rejectsLongTimeStringsWithoutQuotingThemWhole(int length) {
        String time = "2026-01-31T09:30:00." + "1".repeat(length) + "Z";

        Rejection rejection = reject(anEvent().with("time", time).structured());

        assertThat(rejection.rule()).isEqualTo("rfc3339");
        assertThat(rejection.description()).hasSizeLessThan(250);
    }
}
