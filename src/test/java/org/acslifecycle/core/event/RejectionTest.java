package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a rejection carries to the dead letter and the audit row: salvaged identity, and nothing of the payload. */
class RejectionTest {

    @Test
    void salvagesTheIdentifyingAttributesOfAnOtherwiseInvalidEvent() {
        Rejection rejection = reject(anEvent().with("time", "yesterday").structured());

        assertThat(rejection.id()).contains("evt-0001");
        assertThat(rejection.source()).contains("/hr/workday");
        assertThat(rejection.type()).contains("user.offboarded");
        assertThat(rejection.subject()).contains("emp-12345");
    }

    @Test
    void salvagesOnlyValuesThatPassTheirOwnRule() {
        Rejection rejection = reject(anEvent().with("subject", "john doe").with("id", "x".repeat(500)).structured());

        assertThat(rejection.attribute()).isEqualTo("id");
        assertThat(rejection.id()).isEmpty();
        assertThat(rejection.subject()).isEmpty();
        assertThat(rejection.source()).contains("/hr/workday");
    }

    @Test
    void salvagesNothingFromABodyThatIsNotJson() {
        Rejection rejection = reject(CloudEventBuilder.structured("not json"));

        assertThat(rejection).extracting(Rejection::id, Rejection::source, Rejection::type, Rejection::subject)
                .containsOnly(Optional.empty());
    }

    @Test
    void quotesOnlyAShortEscapedPrefixOfAnOffendingValue() {
        String secret = "SECRET-MARKER";
        String subject = "\u001b[2J\r\nforged log line " + "x".repeat(200) + secret; // within length, not pattern

        Rejection rejection = reject(anEvent().with("subject", subject).structured());

        assertThat(rejection.description())
                .hasSizeLessThan(250)
                .doesNotContain(secret)
                .doesNotContain("\u001b", "\r", "\n")
                .contains("\\u001B[2J\\u000D\\u000Aforged log line")
                .contains("(235 chars)");
    }

    @Test
    void keepsTheQuoteShortEvenWhenEveryCharacterNeedsEscaping() {
        Rejection rejection = reject(anEvent().with("time", "\u0000".repeat(5_000)).structured());

        assertThat(rejection.description()).hasSizeLessThan(200).contains("\\u0000\\u0000").contains("(5000 chars)");
    }

    @Test
    void neverQuotesTheBodyOfAMessageThatIsNotJson() {
        String payload = "password=hunter2 " + "y".repeat(200);

        Rejection rejection = reject(CloudEventBuilder.structured(payload));

        assertThat(rejection.description()).doesNotContain("hunter2");
    }

    @Test
    void quotesADuplicateKeyNameEscapedAndShortened() {
        String key = "k\n" + "z".repeat(300);
        String json = "{\"" + key.replace("\n", "\\n") + "\":2," + anEvent().with(key, 1).json().substring(1);

        Rejection rejection = reject(CloudEventBuilder.structured(json));

        assertThat(rejection.rule()).isEqualTo("no-duplicate-keys");
        assertThat(rejection.description()).hasSizeLessThan(200).doesNotContain("\n");
    }

    @Test
    void namesTheDeadLetterReasonCodesOfTheDesign() {
        assertThat(RejectionReason.INVALID_EVENT.code()).isEqualTo("InvalidEvent");
        assertThat(RejectionReason.UNSUPPORTED_EVENT_TYPE.code()).isEqualTo("UnsupportedEventType");
    }

    @Test
    void treatsMissingPartsOfAnInboundMessageAsAbsent() {
        InboundMessage message = new InboundMessage(null, null, null);

        assertThat(message.body()).isEmpty();
        assertThat(message.contentType()).isEmpty();
        assertThat(message.applicationProperties()).isEmpty();
        assertThat(reject(message).rule()).isEqualTo("not-empty");
    }

    @Test
    void treatsABlankContentTypeAsAbsent() {
        assertThat(new InboundMessage(anEvent().bytes(), Optional.of("  "), Map.of()).contentType()).isEmpty();
    }

    @Test
    void keepsMessageContentOutOfToString() {
        InboundMessage message = new InboundMessage("{\"secret\":1}".getBytes(), Optional.of("application/json"),
                Map.of("cloudEvents_id", "evt-secret"));

        assertThat(message.toString()).doesNotContain("secret");
    }
}
