package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accept;
import static org.acslifecycle.core.event.ParsedEvents.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN §2, attribute by attribute, in structured mode (binary mode shares the same rules). */
class AttributeRulesTest {

    private static void assertRejected(CloudEventBuilder event, String attribute, String rule) {
        Rejection rejection = reject(event.structured());
        assertThat(rejection.reason()).isEqualTo(RejectionReason.INVALID_EVENT);
        assertThat(rejection.attribute()).isEqualTo(attribute);
        assertThat(rejection.rule()).isEqualTo(rule);
        assertThat(rejection.description()).contains(attribute);
    }

    @Nested
    class SpecVersion {
        @Test
        void rejectsAMissingSpecVersion() {
            assertRejected(anEvent().without("specversion"), "specversion", "required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.3", "1", "1.0.0", "2.0", ""})
        void rejectsAnyVersionOtherThan1Point0(String version) {
            assertRejected(anEvent().with("specversion", version), "specversion", "version-1.0");
        }

        @Test
        void rejectsTheVersionAsANumber() {
            assertRejected(anEvent().with("specversion", 1.0), "specversion", "string");
        }
    }

    @Nested
    class Id {
        @Test
        void rejectsAMissingId() {
            assertRejected(anEvent().without("id"), "id", "required");
        }

        @Test
        void rejectsAnEmptyId() {
            assertRejected(anEvent().with("id", ""), "id", "length");
        }

        @Test
        void acceptsAnIdOf128CharactersAndRejects129() {
            assertThat(accept(anEvent().with("id", "i".repeat(128)).structured()).key().id()).hasSize(128);
            assertRejected(anEvent().with("id", "i".repeat(129)), "id", "length");
        }

        @Test
        void countsCharactersNotUtf16Units() {
            String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
            accept(anEvent().with("id", emoji.repeat(128)).structured());
        }

        @Test
        void rejectsAnIdThatIsANumber() {
            assertRejected(anEvent().with("id", 42), "id", "string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"evt\n1", "evt\u00001", "evt\u007f", "evt\u0085", "evt\uFFFE", "evt\uFDD0"})
        void rejectsControlCharactersAndNoncharacters(String id) {
            assertRejected(anEvent().with("id", id), "id", "characters");
        }

        @Test
        void rejectsALoneSurrogateWrittenAsJsonEscape() {
            String json = anEvent().with("id", "evt-PLACEHOLDER").json().replace("PLACEHOLDER", "\\uD800");

            Rejection rejection = reject(CloudEventBuilder.structured(json));

            assertThat(rejection.attribute()).isEqualTo("id");
            assertThat(rejection.rule()).isEqualTo("characters");
            assertThat(rejection.description()).contains("\\uD800").doesNotContain("\uD800");
        }

        @Test
        void acceptsAnyPrintableUnicodeId() {
            accept(anEvent().with("id", "ereignis-ä-é-事件 1/2").structured());
        }
    }

    @Nested
    class Source {
        @ParameterizedTest
        @ValueSource(strings = {"/hr/workday", "https://hr.contoso.com/workday", "urn:contoso:hr:workday", "workday",
                "//hr.contoso.com/x?y=1#z"})
        void acceptsUriReferences(String source) {
            assertThat(accept(anEvent().with("source", source).structured()).key().source()).isEqualTo(source);
        }

        @Test
        void rejectsAMissingSource() {
            assertRejected(anEvent().without("source"), "source", "required");
        }

        @Test
        void rejectsAnEmptySource() {
            assertRejected(anEvent().with("source", ""), "source", "length");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/hr/work day", "http://[bad", "%zz", "/hr/{x}"})
        void rejectsASourceThatIsNoUriReference(String source) {
            assertRejected(anEvent().with("source", source), "source", "uri-reference");
        }

        @Test
        void rejectsASourceLongerThan1024Characters() {
            accept(anEvent().with("source", "/" + "s".repeat(1023)).structured());
            assertRejected(anEvent().with("source", "/" + "s".repeat(1024)), "source", "length");
        }

        @Test
        void rejectsControlCharactersInTheSource() {
            assertRejected(anEvent().with("source", "/hr\t/workday"), "source", "characters");
        }
    }

    @Nested
    class Type {
        @Test
        void acceptsEachCanonicalType() {
            for (String type : List.of("user.onboarded", "user.offboarded", "user.suspended", "user.reinstated")) {
                assertThat(accept(anEvent().with("type", type).structured()).type().cloudEventType()).isEqualTo(type);
            }
        }

        @Test
        void rejectsAMissingType() {
            assertRejected(anEvent().without("type"), "type", "required");
        }

        @Test
        void rejectsAnUnknownTypeAsUnsupported() {
            Rejection rejection = reject(anEvent().with("type", "user.promoted").structured());

            assertThat(rejection.reason()).isEqualTo(RejectionReason.UNSUPPORTED_EVENT_TYPE);
            assertThat(rejection.attribute()).isEqualTo("type");
            assertThat(rejection.rule()).isEqualTo("supported");
            assertThat(rejection.description()).contains("\"user.promoted\"");
        }

        @Test
        void reportsAnUnknownTypeOfAnOtherwiseInvalidEventAsInvalid() {
            Rejection rejection = reject(anEvent().with("type", "user.promoted").with("subject", "a b").structured());

            assertThat(rejection.reason()).isEqualTo(RejectionReason.INVALID_EVENT);
            assertThat(rejection.attribute()).isEqualTo("subject");
        }

        @Test
        void rejectsATypeLongerThan256CharactersAsInvalid() {
            assertRejected(anEvent().with("type", "t".repeat(257)), "type", "length");
        }

        @Test
        void rejectsAnEmptyType() {
            assertRejected(anEvent().with("type", ""), "type", "length");
        }
    }

    @Nested
    class Subject {
        @Test
        void rejectsSubjectWithSpaceNamingTheAttribute() {
            Rejection rejection = reject(anEvent().with("subject", "john doe").structured());

            assertThat(rejection.attribute()).isEqualTo("subject");
            assertThat(rejection.rule()).isEqualTo("pattern");
            assertThat(rejection.description()).contains("\"john doe\"");
        }

        @Test
        void acceptsEveryAllowedCharacter() {
            String subject = "AZaz09._@:+-";
            assertThat(accept(anEvent().with("subject", subject).structured()).subject()).isEqualTo(subject);
        }

        @ParameterizedTest
        @ValueSource(strings = {"emp/1", "emp#1", "émile", "emp\n1", "emp,1", "emp*", "emp\u00001"})
        void rejectsCharactersOutsideTheAllowedSet(String subject) {
            assertRejected(anEvent().with("subject", subject), "subject", "pattern");
        }

        @Test
        void acceptsA256CharacterSubjectAndRejects257() {
            accept(anEvent().with("subject", "s".repeat(256)).structured());
            assertRejected(anEvent().with("subject", "s".repeat(257)), "subject", "length");
        }

        @Test
        void rejectsAMissingOrEmptySubject() {
            assertRejected(anEvent().without("subject"), "subject", "required");
            assertRejected(anEvent().with("subject", ""), "subject", "length");
        }

        @Test
        void rejectsASubjectThatIsNotAString() {
            assertRejected(anEvent().with("subject", List.of("emp-1")), "subject", "string");
        }
    }

    @Nested
    class Time {
        @Test
        void rejectsAMissingTime() {
            assertRejected(anEvent().without("time"), "time", "required");
        }

        @Test
        void rejectsATimeWithoutOffset() {
            assertRejected(anEvent().with("time", "2026-01-31T09:30:00"), "time", "rfc3339");
        }

        @Test
        void rejectsATimeAsEpochNumber() {
            assertRejected(anEvent().with("time", 1_769_851_800L), "time", "string");
        }
    }

    @Nested
    class DataContentType {
        @ParameterizedTest
        @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "text/json+json"})
        void acceptsJsonMediaTypes(String type) {
            accept(anEvent().with("datacontenttype", type).structured());
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/xml", "json", ""})
        void rejectsOtherMediaTypes(String type) {
            assertRejected(anEvent().with("datacontenttype", type), "datacontenttype", "json");
        }

        @Test
        void rejectsAnotherCharset() {
            assertRejected(anEvent().with("datacontenttype", "application/json; charset=utf-16"), "datacontenttype",
                    "charset-utf-8");
        }
    }

    @Nested
    class Data {
        @Test
        void rejectsDataThatIsNotAnObject() {
            assertRejected(anEvent().with("data", "Termination"), "data", "json-object");
            assertRejected(anEvent().with("data", List.of()), "data", "json-object");
        }

        @Test
        void rejectsDataBase64() {
            assertRejected(anEvent().without("data").with("data_base64", "eyJyZWFzb24iOiJ4In0="), "data_base64",
                    "not-supported");
        }

        @Test
        void rejectsAReasonThatIsNotAString() {
            assertRejected(anEvent().with("data", Map.of("reason", 7)), "data.reason", "string");
            assertRejected(anEvent().with("data", Map.of("reason", Map.of("code", "x"))), "data.reason", "string");
        }

        @Test
        void acceptsAReasonOf512CharactersAndRejects513() {
            assertThat(accept(anEvent().with("data", Map.of("reason", "r".repeat(512))).structured()).reason())
                    .hasValueSatisfying(reason -> assertThat(reason).hasSize(512));
            assertRejected(anEvent().with("data", Map.of("reason", "r".repeat(513))), "data.reason", "length");
        }

        @Test
        void acceptsLineBreaksInTheReasonButNotOtherControlCharacters() {
            accept(anEvent().with("data", Map.of("reason", "Termination\r\n\tvoluntary")).structured());
            assertRejected(anEvent().with("data", Map.of("reason", "Termination\u0000")), "data.reason", "characters");
            assertRejected(anEvent().with("data", Map.of("reason", "\u001b[31mred")), "data.reason", "characters");
        }

        @Test
        void acceptsAnEffectiveTimeInRfc3339AndKeepsIt() {
            org.acslifecycle.core.LifecycleEvent event = accept(anEvent().with("data", Map.of("effectiveTime", "2026-12-31T17:00:00+01:00"))
                    .structured());
            assertThat(event.effectiveTime()).contains(java.time.Instant.parse("2026-12-31T16:00:00Z"));
            assertThat(accept(anEvent().structured()).effectiveTime()).as("absent: effective when it happened").isEmpty();
        }

        @Test
        void rejectsAnEffectiveTimeThatIsNotAnRfc3339DateTimeWithAnOffset() {
            assertRejected(anEvent().with("data", Map.of("effectiveTime", "2026-12-31")), "data.effectiveTime", "rfc3339");
            assertRejected(anEvent().with("data", Map.of("effectiveTime", "2026-12-31T17:00:00")), "data.effectiveTime",
                    "rfc3339");
            assertRejected(anEvent().with("data", Map.of("effectiveTime", 1767200400)), "data.effectiveTime", "string");
        }

        @Test
        void rejectsAnEffectiveTimeFurtherAheadThanTheLimit() {
            java.time.Instant at = java.time.Instant.parse("2026-01-31T09:30:00Z"); // the builder's time
            accept(anEvent().with("data", Map.of("effectiveTime", at.plus(java.time.Duration.ofDays(400)).toString()))
                    .structured());
            assertRejected(anEvent().with("data", Map.of("effectiveTime",
                    at.plus(java.time.Duration.ofDays(401)).toString())), "data.effectiveTime", "too-far-ahead");
        }

        @Test
        void treatsANullReasonAsNoReason() {
            Map<String, Object> data = new java.util.HashMap<>();
            data.put("reason", null);
            assertThat(accept(anEvent().with("data", data).structured()).reason()).isEmpty();
        }

        @Test
        void keepsOtherDataFieldsOutOfTheEvent() {
            accept(anEvent().with("data", Map.of("reason", "x", "manager", Map.of("id", Arrays.asList(1, null)))).structured());
        }
    }
}
