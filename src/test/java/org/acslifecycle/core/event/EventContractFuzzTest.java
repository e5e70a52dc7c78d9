package org.acslifecycle.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives, the contract answers Accepted or Rejected, never throws, and answers fast: a flood of
 * hostile messages must not stall a receiver. The time bound is loose (a noisy 2-core CI box, GC pauses);
 * {@link ParseTimingTest} measures the typical cost.
 *
 * <p>A QuickTheories property over {@link FuzzedMessages#messages()}. On failure QuickTheories shrinks, then
 * reports the smallest message found and the seed; rerun with {@code -DQT_SEED=<seed>} to reproduce.
 */
class EventContractFuzzTest {

    static final Duration MAX_PARSE_TIME = Duration.ofMillis(50);
    private static final int EXAMPLES = 10_000;
    private static final int WARM_UP_MESSAGES = 1_000;
    private static final String ACCEPTED = "accepted";

    private static final EventContract CONTRACT =
            new EventContract(new TypeMapping(Map.of("com.contoso.hr.Termination", EventType.OFFBOARDED)));
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@:+-]{1,256}");

    /** Class loading and JIT compilation are not what the time bound is about. */
    @BeforeAll
    static void warmUp() {
        FuzzedMessages.sample(WARM_UP_MESSAGES, FuzzedMessages.messages()).forEach(CONTRACT::parse);
    }

    @Test
    void everyMessageIsAcceptedOrRejectedWithinTheTimeBoundAndNothingThrows() {
        // Outcome -> count over the whole run: QuickTheories has no statistics API, so coverage is asserted after.
        Map<Object, Integer> outcomes = new HashMap<>();

        int checked = FuzzedMessages.checkExactly(EXAMPLES, FuzzedMessages.messages(),
                message -> outcomes.merge(parseAndCheck(message), 1, Integer::sum));

        // What jqwik's statistics report used to show: how the run split between acceptance and each rejection.
        System.out.printf("event contract fuzz, %d messages, outcomes: %s%n", checked, outcomes);
        assertThat(checked).isEqualTo(EXAMPLES);
        // The mutations must leave some events valid, or the fuzzing would only ever exercise rejection paths.
        assertThat(outcomes.getOrDefault(ACCEPTED, 0)).as("accepted messages, outcomes %s", outcomes).isPositive();
        assertThat(outcomes.getOrDefault(RejectionReason.UNSUPPORTED_EVENT_TYPE, 0))
                .as("messages rejected as UNSUPPORTED_EVENT_TYPE, outcomes %s", outcomes).isPositive();
    }

    /** The property for one message; returns its outcome ("accepted" or the rejection reason) for the coverage count. */
    private static Object parseAndCheck(InboundMessage message) {
        long start = System.nanoTime();
        ParsedEvent parsed = CONTRACT.parse(message);
        long elapsed = System.nanoTime() - start;

        assertThat(Duration.ofNanos(elapsed < MAX_PARSE_TIME.toNanos() ? elapsed : fastestOfThree(message)))
                .isLessThan(MAX_PARSE_TIME);
        assertThat(parsed).isNotNull();
        if (parsed instanceof ParsedEvent.Accepted accepted) {
            assertValid(accepted.event());
            return ACCEPTED;
        } else if (parsed instanceof ParsedEvent.Rejected rejected) {
            assertWellFormed(rejected.rejection());
            return rejected.rejection().reason();
        }
        return parsed.getClass().getSimpleName();
    }

    /**
     * A GC pause or a descheduled thread can stretch one parse on a busy machine; a slow input is slow every
     * time. So an over-bound parse is timed again and the best of three is what must meet the bound.
     */
    static long fastestOfThree(InboundMessage message) {
        long fastest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3; attempt++) {
            long start = System.nanoTime();
            CONTRACT.parse(message);
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return fastest;
    }

    private static void assertValid(LifecycleEvent event) {
        assertThat(event.subject()).matches(SUBJECT);
        assertThat(event.key().id().codePointCount(0, event.key().id().length())).isBetween(1, 128);
        assertThat(event.key().source()).isNotEmpty().hasSizeLessThanOrEqualTo(1024);
        event.reason().ifPresent(reason -> assertThat(reason.codePointCount(0, reason.length())).isLessThanOrEqualTo(512));
    }

    private static void assertWellFormed(Rejection rejection) {
        assertThat(rejection.rule()).isNotBlank().isNotEqualTo("internal-error");
        assertThat(rejection.attribute()).isNotBlank();
        assertThat(rejection.description()).isNotBlank().hasSizeLessThan(400)
                .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]");
        rejection.subject().ifPresent(subject -> assertThat(subject).matches(SUBJECT));
        rejection.id().ifPresent(id -> assertThat(id.codePointCount(0, id.length())).isBetween(1, 128));
        rejection.source().ifPresent(source -> assertThat(source).isNotEmpty().hasSizeLessThanOrEqualTo(1024));
        if (rejection.reason() == RejectionReason.UNSUPPORTED_EVENT_TYPE) {
            assertThat(rejection.attribute()).isEqualTo("type");
            assertThat(rejection.type()).isPresent();
        }
    }
}
