package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accept;
import static org.acslifecycle.core.event.ParsedEvents.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryModeTest {

    private static final LifecycleEvent EXPECTED = new LifecycleEvent(new EventKey("/hr/workday", "evt-0001"),
            EventType.OFFBOARDED, "user.offboarded", "emp-12345", Instant.parse("2026-01-31T09:30:00Z"),
            Optional.of("Termination"));

    @ParameterizedTest
    @ValueSource(strings = {"cloudEvents_", "cloudEvents:"})
    void acceptsAttributesAsPrefixedApplicationPropertiesWithDataAsBody(String prefix) {
        assertThat(accept(anEvent().binary(prefix))).isEqualTo(EXPECTED);
    }

    @Test
    void acceptsAnEmptyBodyAsAnEventWithoutData() {
        InboundMessage message = anEvent().without("data").binary();

        assertThat(accept(message).reason()).isEmpty();
    }

    @Test
    void acceptsAJsonBodyWithoutContentTypeWhenPropertiesMakeItBinaryMode() {
        InboundMessage withType = anEvent().binary();
        InboundMessage message = new InboundMessage(withType.body(), Optional.empty(), withType.applicationProperties());

        assertThat(accept(message)).isEqualTo(EXPECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "application/vnd.contoso.lifecycle+json"})
    void acceptsJsonDataContentTypes(String contentType) {
        InboundMessage withType = anEvent().binary();
        InboundMessage message = new InboundMessage(withType.body(), Optional.of(contentType),
                withType.applicationProperties());

        accept(message);
    }

    @Test
    void acceptsTimeCarriedAsAnAmqpTimestamp() {
        Instant time = Instant.parse("2026-01-31T09:30:00.123Z");
        InboundMessage asDate = anEvent().with("time", Date.from(time)).binary();
        InboundMessage asOffsetDateTime = anEvent().with("time", time.atOffset(ZoneOffset.ofHours(2))).binary();

        assertThat(accept(asDate).time()).isEqualTo(time);
        assertThat(accept(asOffsetDateTime).time()).isEqualTo(time);
    }

    @Test
    void acceptsATimeSurfacedAsASqlDate() {
        Instant midnight = Instant.parse("2026-01-31T00:00:00Z");

        assertThat(accept(anEvent().with("time", new java.sql.Date(midnight.toEpochMilli())).binary()).time())
                .isEqualTo(midnight);
    }

    @Test
    void turnsAFailureInsideTheContractIntoARejectionInsteadOfThrowing() {
        Date broken = new Date() {
            @Override
            public long getTime() {
                throw new IllegalStateException("a property value that fails when read");
            }
        };

        Rejection rejection = reject(anEvent().with("time", broken).binary());

        assertThat(rejection.rule()).isEqualTo("internal-error");
        assertThat(rejection.description()).doesNotContain("fails when read");
    }

    @Test
    void ignoresApplicationPropertiesWithoutTheCloudEventsPrefix() {
        InboundMessage withType = anEvent().binary();
        Map<String, Object> properties = new LinkedHashMap<>(withType.applicationProperties());
        properties.put("Diagnostic-Id", "00-abc-def-01");
        properties.put("id", "not-the-event-id");
        properties.put("cloudevents_id", "wrong case, not the binding's prefix");

        assertThat(accept(new InboundMessage(withType.body(), withType.contentType(), properties))).isEqualTo(EXPECTED);
    }

    @Test
    void acceptsNullPropertyKeysAndValuesAsAbsent() {
        InboundMessage withType = anEvent().binary();
        Map<String, Object> properties = new HashMap<>(withType.applicationProperties());
        properties.put(null, "x");
        properties.put("cloudEvents_dataschema", null);

        accept(new InboundMessage(withType.body(), withType.contentType(), properties));
    }

    @Test
    void rejectsAMixOfBothPrefixesNamingTheApplicationProperties() {
        InboundMessage withType = anEvent().binary();
        Map<String, Object> properties = new LinkedHashMap<>(withType.applicationProperties());
        properties.put("cloudEvents:id", "evt-other");

        Rejection rejection = reject(new InboundMessage(withType.body(), withType.contentType(), properties));

        assertThat(rejection.attribute()).isEqualTo("application-properties");
        assertThat(rejection.rule()).isEqualTo("one-prefix");
        assertThat(rejection.subject()).contains("emp-12345");
    }

    @Test
    void rejectsANonJsonContentTypeNamingTheDataContentType() {
        InboundMessage withType = anEvent().binary();
        InboundMessage message = new InboundMessage("Termination".getBytes(), Optional.of("text/plain"),
                withType.applicationProperties());

        Rejection rejection = reject(message);

        assertThat(rejection.attribute()).isEqualTo("datacontenttype");
        assertThat(rejection.rule()).isEqualTo("json");
    }

    @Test
    void rejectsDataThatIsNotAJsonObjectNamingTheData() {
        Rejection rejection = reject(anEvent().with("data", new int[] {1, 2}).binary());

        assertThat(rejection.attribute()).isEqualTo("data");
        assertThat(rejection.rule()).isEqualTo("json-object");
    }

    @Test
    void rejectsMalformedDataNamingTheDataAndSalvagingTheAttributes() {
        InboundMessage withType = anEvent().binary();
        InboundMessage message = new InboundMessage("{\"reason\":".getBytes(), withType.contentType(),
                withType.applicationProperties());

        Rejection rejection = reject(message);

        assertThat(rejection.attribute()).isEqualTo("data");
        assertThat(rejection.rule()).isEqualTo("json-syntax");
        assertThat(rejection.id()).contains("evt-0001");
        assertThat(rejection.source()).contains("/hr/workday");
        assertThat(rejection.type()).contains("user.offboarded");
        assertThat(rejection.subject()).contains("emp-12345");
    }

    @Test
    void rejectsAnOversizedBodyBeforeReadingItButStillSalvagesTheAttributes() {
        InboundMessage withType = anEvent().binary();
        InboundMessage message = new InboundMessage(new byte[EventContract.MAX_BODY_BYTES + 1], withType.contentType(),
                withType.applicationProperties());

        Rejection rejection = reject(message);

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("max-size");
        assertThat(rejection.id()).contains("evt-0001");
    }

    @Test
    void rejectsANonStringAttributeValueNamingTheAttribute() {
        Rejection rejection = reject(anEvent().with("id", 42L).binary());

        assertThat(rejection.attribute()).isEqualTo("id");
        assertThat(rejection.rule()).isEqualTo("string");
        assertThat(rejection.description()).contains("Long");
    }

    @Test
    void rejectsAMissingAttributeNamingItAsInStructuredMode() {
        Rejection rejection = reject(anEvent().without("subject").binary());

        assertThat(rejection.attribute()).isEqualTo("subject");
        assertThat(rejection.rule()).isEqualTo("required");
    }

    @Test
    void readsAttributeNamesCaseSensitively() {
        InboundMessage withType = anEvent().without("id").binary();
        Map<String, Object> properties = new LinkedHashMap<>(withType.applicationProperties());
        properties.put("cloudEvents_ID", "evt-0001");

        Rejection rejection = reject(new InboundMessage(withType.body(), withType.contentType(), properties));

        assertThat(rejection.attribute()).isEqualTo("id");
        assertThat(rejection.rule()).isEqualTo("required");
    }

    @Test
    void appliesTheTimeRuleToStringTimesInBinaryMode() {
        Rejection rejection = reject(anEvent().with("time", "2026-01-31T09:30:00").binary());

        assertThat(rejection.attribute()).isEqualTo("time");
        assertThat(rejection.rule()).isEqualTo("rfc3339");
    }

    @Test
    void rejectsATimeOfAnotherTypeNamingTheTime() {
        Rejection rejection = reject(anEvent().with("time", 1_769_851_800_000L).binary());

        assertThat(rejection.attribute()).isEqualTo("time");
        assertThat(rejection.rule()).isEqualTo("string");
    }

    @Test
    void usesOffsetDateTimeSubclassesToo() {
        OffsetDateTime time = OffsetDateTime.parse("2026-01-31T10:30:00+01:00");

        assertThat(accept(anEvent().with("time", time).binary()).time()).isEqualTo(Instant.parse("2026-01-31T09:30:00Z"));
    }
}
