package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accept;
import static org.acslifecycle.core.event.ParsedEvents.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredModeTest {

    @Test
    void acceptsAValidStructuredEventWithEveryAttributeCarriedOver() {
        LifecycleEvent event = accept(anEvent().structured());

        assertThat(event).isEqualTo(new LifecycleEvent(new EventKey("/hr/workday", "evt-0001"), EventType.OFFBOARDED,
                "user.offboarded", "emp-12345", Instant.parse("2026-01-31T09:30:00Z"), Optional.of("Termination")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/cloudevents+json; charset=utf-8", "application/cloudevents+json;charset=UTF-8",
            "Application/CloudEvents+JSON", "application/cloudevents+json; charset=\"utf-8\"", "application/cloudevents+json;"})
    void acceptsTheStructuredContentTypeWithCharsetAndAnyCase(String contentType) {
        accept(new InboundMessage(anEvent().bytes(), Optional.of(contentType), Map.of()));
    }

    @Test
    void acceptsACloudEventObjectWithoutAnyContentType() {
        accept(new InboundMessage(anEvent().bytes(), Optional.empty(), Map.of()));
    }

    @Test
    void readsABodyWithoutContentTypeAsStructuredAndRejectsItWhenItIsNoCloudEvent() {
        Rejection rejection = reject(new InboundMessage("{\"hello\":\"world\"}".getBytes(), Optional.empty(), Map.of()));

        assertThat(rejection.attribute()).isEqualTo("specversion");
        assertThat(rejection.rule()).isEqualTo("required");
    }

    @Test
    void ignoresCloudEventsApplicationPropertiesWhenTheContentTypeSaysStructured() {
        InboundMessage message = new InboundMessage(anEvent().bytes(), Optional.of(CloudEventBuilder.STRUCTURED),
                Map.of("cloudEvents_id", "other", "cloudEvents:type", "other"));

        assertThat(accept(message).key().id()).isEqualTo("evt-0001");
    }

    @Test
    void acceptsAnEventWithoutData() {
        assertThat(accept(anEvent().without("data").structured()).reason()).isEmpty();
    }

    @Test
    void acceptsDataWithoutReasonAndANullData() {
        assertThat(accept(anEvent().with("data", Map.of("other", 1)).structured()).reason()).isEmpty();
        assertThat(accept(anEvent().with("data", null).structured()).reason()).isEmpty();
    }

    @Test
    void acceptsUnknownExtensionAttributesOfAnyJsonType() {
        InboundMessage message = anEvent().with("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .with("sequence", 42).with("partitionkey", Map.of("nested", List.of(1, 2))).with("flag", true)
                .structured();

        accept(message);
    }

    @Test
    void treatsAnAttributeWithNullValueAsAbsent() {
        Rejection rejection = reject(anEvent().with("subject", null).structured());

        assertThat(rejection.attribute()).isEqualTo("subject");
        assertThat(rejection.rule()).isEqualTo("required");
    }

    @Test
    void rejectsAStructuredContentTypeWithAnotherCharsetNamingTheContentType() {
        Rejection rejection = reject(new InboundMessage(anEvent().bytes(),
                Optional.of("application/cloudevents+json; charset=iso-8859-1"), Map.of()));

        assertThat(rejection.attribute()).isEqualTo("content-type");
        assertThat(rejection.rule()).isEqualTo("charset-utf-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/cloudevents-batch+json", "application/cloudevents+xml"})
    void rejectsOtherCloudEventsFormatsAndBatchesNamingTheContentType(String contentType) {
        Rejection rejection = reject(new InboundMessage(anEvent().bytes(), Optional.of(contentType), Map.of()));

        assertThat(rejection.attribute()).isEqualTo("content-type");
        assertThat(rejection.rule()).isEqualTo("cloudevents-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain"})
    void rejectsAnotherContentTypeWithoutBinaryModePropertiesNamingTheContentType(String contentType) {
        Rejection rejection = reject(new InboundMessage(anEvent().bytes(), Optional.of(contentType), Map.of()));

        assertThat(rejection.attribute()).isEqualTo("content-type");
        assertThat(rejection.rule()).isEqualTo("cloudevents-mode");
        assertThat(rejection.description()).contains(contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudevents", "application/", "application/cloudevents+json; charset", "a/b;c=\"d"})
    void rejectsAContentTypeThatIsNoMediaType(String contentType) {
        Rejection rejection = reject(new InboundMessage(anEvent().bytes(), Optional.of(contentType), Map.of()));

        assertThat(rejection.attribute()).isEqualTo("content-type");
        assertThat(rejection.rule()).isEqualTo("media-type");
    }

    @Test
    void rejectsAnEmptyBodyNamingTheBody() {
        Rejection rejection = reject(CloudEventBuilder.structured(new byte[0]));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("not-empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"user.offboarded\"", "42", "null", "true"})
    void rejectsAJsonBodyThatIsNotAnObject(String body) {
        Rejection rejection = reject(CloudEventBuilder.structured(body));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("json-object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "{", "{\"id\":}", "   ", "{'id':'x'}", "{\"id\":\"x\"} // comment", "{\"a\":NaN}"})
    void rejectsABodyThatIsNotStrictJson(String body) {
        Rejection rejection = reject(CloudEventBuilder.structured(body));

        assertThat(rejection.attribute()).isEqualTo("body");
        assertThat(rejection.rule()).isEqualTo("json-syntax");
    }

    @Test
    void rejectsTrailingContentAfterTheEventObject() {
        Rejection rejection = reject(CloudEventBuilder.structured(anEvent().json() + " {}"));

        assertThat(rejection.rule()).isEqualTo("json-syntax");
        assertThat(rejection.id()).isEmpty();
    }
}
