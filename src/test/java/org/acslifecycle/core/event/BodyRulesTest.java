package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accept;
import static org.acslifecycle.core.event.ParsedEvents.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The body as bytes and as JSON: size, encoding, duplicate keys, nesting, JSON limits. */
class BodyRulesTest {

    /** A valid event padded with an extension attribute to exactly {@code size} bytes. */
    private static byte[] eventOfSize(int size) {
        int unpadded = anEvent().with("padding", "").bytes().length;
        byte[] body = anEvent().with("padding", "p".repeat(size - unpadded)).bytes();
        assertThat(body).hasSize(size);
        return body;
    }

    /** The valid event with {@code bytes} spliced into the subject value. */
    private static byte[] withBytesInSubject(byte... bytes) {
        String[] halves = anEvent().with("subject", "emp-SPLICE").json().split("SPLICE");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(halves[0].getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(halves[1].getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    @Test
    void acceptsABodyOfExactly64KiB() {
        accept(CloudEventBuilder.structured(eventOfSize(EventContract.MAX_BODY_BYTES)));
    }

    @Test
    void rejectsABodyOneByteOver64KiBNamingTheBody() {
        Rejection rejection = reject(CloudEventBuilder.structured(eventOfSize(EventContract.MAX_BODY_BYTES + 1)));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("max-size");
        assertThat(rejection.description()).contains("65537 bytes");
    }

    @Test
    void checksTheSizeBeforeParsingSoAnOversizedNonJsonBodyIsRejectedForItsSize() {
        Rejection rejection = reject(CloudEventBuilder.structured(new byte[10 * 1024 * 1024]));

        assertThat(rejection.rule()).isEqualTo("max-size");
    }

    @Test
    void rejectsMalformedUtf8NamingTheBodyAndTheOffset() {
        byte[] body = withBytesInSubject((byte) 0xC3, (byte) 0x28);

        Rejection rejection = reject(CloudEventBuilder.structured(body));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("utf-8");
        assertThat(rejection.description()).contains("offset " + (anEvent().json().indexOf("emp-") + "emp-".length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "C0AF",     // overlong '/'
            "E080AF",   // overlong, three bytes
            "EDA080",   // UTF-8-encoded surrogate (CESU-8)
            "F4908080", // above U+10FFFF
            "FF",       // never valid
            "80",       // lone continuation byte
            "E282"})    // truncated sequence
    void rejectsEveryKindOfInvalidUtf8(String hex) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);

        Rejection rejection = reject(CloudEventBuilder.structured(withBytesInSubject(bytes)));

        assertThat(rejection.rule()).isEqualTo("utf-8");
    }

    @Test
    void rejectsAUtf16EncodedBodyRatherThanGuessingItsEncoding() {
        byte[] body = anEvent().json().getBytes(StandardCharsets.UTF_16BE);

        Rejection rejection = reject(CloudEventBuilder.structured(body));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.reason()).isEqualTo(RejectionReason.INVALID_EVENT);
    }

    @Test
    void toleratesAUtf8ByteOrderMark() {
        byte[] event = anEvent().bytes();
        byte[] body = new byte[event.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(event, 0, body, 3, event.length);

        accept(CloudEventBuilder.structured(body));
    }

    @Test
    void rejectsADuplicateAttributeNamingTheKey() {
        String json = anEvent().json().replaceFirst("\\{", "{\"id\":\"evt-9999\",");

        Rejection rejection = reject(CloudEventBuilder.structured(json));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("no-duplicate-keys");
        assertThat(rejection.description()).contains("\"id\"");
    }

    @Test
    void rejectsADuplicateKeyInsideData() {
        String json = anEvent().without("data").json().replaceFirst("}$", ",\"data\":{\"reason\":\"a\",\"reason\":\"b\"}}");

        Rejection rejection = reject(CloudEventBuilder.structured(json));

        assertThat(rejection.rule()).isEqualTo("no-duplicate-keys");
        assertThat(rejection.description()).contains("\"reason\"");
    }

    @Test
    void rejectsThirtyTwoThousandLevelsOfNestingNamingTheDepthRule() {
        int depth = 32_000; // as deep as fits within the body limit
        String json = anEvent().with("deep", "HERE").json().replace("\"HERE\"", "[".repeat(depth) + "]".repeat(depth));

        Rejection rejection = reject(CloudEventBuilder.structured(json));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("max-nesting-depth");
    }

    @Test
    void acceptsNestingWithinTheLimitInExtensions() {
        int depth = StrictJson.MAX_NESTING_DEPTH - 1; // the event object itself is the first level
        String json = anEvent().with("nested", "HERE").json().replace("\"HERE\"", "[".repeat(depth) + "]".repeat(depth));

        accept(CloudEventBuilder.structured(json));
    }

    @Test
    void rejectsNestingOneLevelOverTheLimit() {
        int depth = StrictJson.MAX_NESTING_DEPTH;
        String json = anEvent().with("nested", "HERE").json().replace("\"HERE\"", "[".repeat(depth) + "]".repeat(depth));

        assertThat(reject(CloudEventBuilder.structured(json)).rule()).isEqualTo("max-nesting-depth");
    }

    @Test
    void rejectsAnAbsurdlyLongNumberNamingTheJsonLimits() {
        String json = anEvent().with("big", "HERE").json().replace("\"HERE\"", "9".repeat(StrictJson.MAX_NUMBER_LENGTH + 1));

        Rejection rejection = reject(CloudEventBuilder.structured(json));

        assertThat(rejection.rule()).isEqualTo("json-limits");
    }

    @Test
    void acceptsManyExtensionAttributesWithinTheBodyLimit() {
        CloudEventBuilder event = anEvent();
        for (int i = 0; i < 2_000; i++) {
            event.with("ext" + i, "v");
        }

        accept(event.structured());
    }

    @Test
    void rejectsAnInvalidUtf8SequenceInABinaryModeBodyNamingTheData() {
        InboundMessage withType = anEvent().binary();
        byte[] data = {'{', '"', 'r', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};

        Rejection rejection = reject(new InboundMessage(data, withType.contentType(), withType.applicationProperties()));

        assertThat(rejection.attribute()).isEqualTo("data");
        assertThat(rejection.rule()).isEqualTo("utf-8");
    }

    @Test
    void treatsAJsonNullBinaryBodyAsNoData() {
        InboundMessage withType = anEvent().binary();

        accept(new InboundMessage("null".getBytes(), withType.contentType(), Map.copyOf(withType.applicationProperties())));
    }
}
