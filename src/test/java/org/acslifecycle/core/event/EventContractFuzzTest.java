package org.acslifecycle.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever arrives, the contract answers Accepted or Rejected, never throws, and answers fast: a flood of
 * hostile messages must not stall a receiver. The time bound is loose (a noisy 2-core CI box, GC pauses);
 * {@link ParseTimingTest} measures the typical cost.
 */
class EventContractFuzzTest {

    static final Duration MAX_PARSE_TIME = Duration.ofMillis(50);

    private static final EventContract CONTRACT =
            new EventContract(new TypeMapping(Map.of("com.contoso.hr.Termination", EventType.OFFBOARDED)));
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@:+-]{1,256}");

    /** Class loading and JIT compilation are not what the time bound is about. */
    @BeforeContainer
    static void warmUp() {
        FuzzedMessages.messages().sampleStream().limit(1_000).forEach(CONTRACT::parse);
    }

    @Property(tries = 10_000)
    void everyMessageIsAcceptedOrRejectedWithinTheTimeBoundAndNothingThrows(@ForAll("messages") InboundMessage message) {
        long start = System.nanoTime();
        ParsedEvent parsed = CONTRACT.parse(message);
        long elapsed = System.nanoTime() - start;

        assertThat(Duration.ofNanos(elapsed < MAX_PARSE_TIME.toNanos() ? elapsed : fastestOfThree(message)))
                .isLessThan(MAX_PARSE_TIME);
        assertThat(parsed).isNotNull();
        if (parsed instanceof ParsedEvent.Accepted accepted) {
            assertValid(accepted.event());
            Statistics.label("outcome").collect("accepted");
        } else if (parsed instanceof ParsedEvent.Rejected rejected) {
            assertWellFormed(rejected.rejection());
            Statistics.label("outcome").collect(rejected.rejection().reason());
        }
        // The mutations must leave some events valid, or the fuzzing would only ever exercise rejection paths.
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("accepted").count(accepted -> accepted > 0);
            coverage.check(RejectionReason.UNSUPPORTED_EVENT_TYPE).count(unsupported -> unsupported > 0);
        });
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

    @Provide
    Arbitrary<InboundMessage> messages() {
        return FuzzedMessages.messages();
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
