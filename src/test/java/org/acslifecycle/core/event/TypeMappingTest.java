package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accepted;
import static org.acslifecycle.core.event.ParsedEvents.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import org.junit.jupiter.api.Test;

class TypeMappingTest {

    private final EventContract contoso = new EventContract(new TypeMapping(Map.of(
            "com.contoso.hr.Termination", EventType.OFFBOARDED,
            "com.contoso.hr.Hire", EventType.ONBOARDED)));

    @Test
    void mapsAConfiguredPublisherTypeToItsCanonicalTypeKeepingThePublisherType() {
        LifecycleEvent event = accepted(contoso.parse(anEvent().with("type", "com.contoso.hr.Termination").structured()));

        assertThat(event.type()).isEqualTo(EventType.OFFBOARDED);
        assertThat(event.publisherType()).isEqualTo("com.contoso.hr.Termination");
    }

    @Test
    void mapsPublisherTypesInBinaryModeToo() {
        LifecycleEvent event = accepted(contoso.parse(anEvent().with("type", "com.contoso.hr.Hire").binary()));

        assertThat(event.type()).isEqualTo(EventType.ONBOARDED);
    }

    @Test
    void keepsCanonicalTypesMappedToThemselvesWhateverTheConfiguration() {
        for (EventType type : EventType.values()) {
            LifecycleEvent event = accepted(contoso.parse(anEvent().with("type", type.cloudEventType()).structured()));
            assertThat(event.type()).isEqualTo(type);
            assertThat(event.publisherType()).isEqualTo(type.cloudEventType());
        }
    }

    @Test
    void rejectsAPublisherTypeThatIsNotConfiguredAsUnsupportedAndSalvagesIt() {
        Rejection rejection = rejected(new EventContract(TypeMapping.canonicalOnly())
                .parse(anEvent().with("type", "com.contoso.hr.Termination").structured()));

        assertThat(rejection.reason()).isEqualTo(RejectionReason.UNSUPPORTED_EVENT_TYPE);
        assertThat(rejection.reason().code()).isEqualTo("UnsupportedEventType");
        assertThat(rejection.type()).contains("com.contoso.hr.Termination");
        assertThat(rejection.id()).contains("evt-0001");
    }

    @Test
    void matchesTypesCaseSensitively() {
        Rejection rejection = rejected(contoso.parse(anEvent().with("type", "User.Offboarded").structured()));

        assertThat(rejection.reason()).isEqualTo(RejectionReason.UNSUPPORTED_EVENT_TYPE);
    }

    @Test
    void allowsACanonicalTypeMappedToItself() {
        TypeMapping mapping = new TypeMapping(Map.of("user.suspended", EventType.SUSPENDED));

        assertThat(mapping.resolve("user.suspended")).contains(EventType.SUSPENDED);
    }

    @Test
    void refusesAMappingThatWouldRedefineACanonicalType() {
        assertThatThrownBy(() -> new TypeMapping(Map.of("user.onboarded", EventType.OFFBOARDED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user.onboarded");
    }

    @Test
    void refusesEmptyOrMissingKeysAndValues() {
        Map<String, EventType> nullValue = new HashMap<>();
        nullValue.put("com.contoso.hr.Leave", null);
        Map<String, EventType> nullKey = new HashMap<>();
        nullKey.put(null, EventType.SUSPENDED);

        assertThatThrownBy(() -> new TypeMapping(nullValue)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TypeMapping(nullKey)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TypeMapping(Map.of("", EventType.SUSPENDED)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isImmutableAfterConstruction() {
        Map<String, EventType> source = new HashMap<>(Map.of("com.contoso.hr.Leave", EventType.SUSPENDED));
        TypeMapping mapping = new TypeMapping(source);
        source.clear();

        assertThat(mapping.resolve("com.contoso.hr.Leave")).contains(EventType.SUSPENDED);
        assertThat(mapping.resolve(null)).isEmpty();
    }
}
