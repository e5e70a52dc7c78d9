package org.acslifecycle.core.event;

import static org.acslifecycle.core.event.CloudEventBuilder.anEvent;
import static org.acslifecycle.core.event.ParsedEvents.accept;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.TraceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which trace context an event continues, from where on the message, and what counts as none. */
class TraceContextTest {

    private static final String EVENT_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String TRANSPORT_TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void theCloudEventsTraceparentExtensionOfAStructuredEventIsItsTrace() {
        var event = accept(anEvent().with("traceparent", EVENT_TRACE).with("tracestate", "hr=1").structured());

        assertThat(event.trace()).contains(new TraceContext(EVENT_TRACE, Optional.of("hr=1")));
        assertThat(event.trace().get().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(event.trace().get().spanId()).isEqualTo("00f067aa0ba902b7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cloudEvents_", "cloudEvents:"})
    void theExtensionAsABinaryModePropertyIsItsTrace(String prefix) {
        var event = accept(anEvent().with("traceparent", EVENT_TRACE).binary(prefix));

        assertThat(event.trace()).contains(new TraceContext(EVENT_TRACE, Optional.empty()));
    }

    @Test
    void theEventsOwnTraceWinsOverTheTransports() {
        InboundMessage structured = anEvent().with("traceparent", EVENT_TRACE).structured();
        InboundMessage message = new InboundMessage(structured.body(), structured.contentType(),
                Map.of("traceparent", TRANSPORT_TRACE, "Diagnostic-Id", TRANSPORT_TRACE));

        assertThat(accept(message).trace().map(TraceContext::traceparent)).contains(EVENT_TRACE);
    }

    @Test
    void withoutTheExtensionTheServiceBusTraceparentThenDiagnosticIdIsTheTrace() {
        InboundMessage structured = anEvent().structured();
        Map<String, Object> both = new HashMap<>(Map.of("traceparent", TRANSPORT_TRACE, "tracestate", "sb=2",
                "Diagnostic-Id", EVENT_TRACE));
        assertThat(accept(new InboundMessage(structured.body(), structured.contentType(), both)).trace())
                .contains(new TraceContext(TRANSPORT_TRACE, Optional.of("sb=2")));

        Map<String, Object> diagnosticOnly = Map.of("Diagnostic-Id", TRANSPORT_TRACE);
        assertThat(accept(new InboundMessage(structured.body(), structured.contentType(), diagnosticOnly)).trace()
                .map(TraceContext::traceparent)).contains(TRANSPORT_TRACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00-not-hex-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
            "|4bf92f3577b34da6a3ce929d0e0e4736.00f067aa0ba902b7."})
    void aMalformedTraceparentIsNoTraceAndTheEventIsStillAccepted(String traceparent) {
        var event = accept(anEvent().with("traceparent", traceparent).structured());

        assertThat(event.trace()).isEmpty();
    }

    @Test
    void aNonTextTraceparentIsNoTrace() {
        assertThat(accept(anEvent().with("traceparent", 42).structured()).trace()).isEmpty();
    }

    @Test
    void aTracestateTooLongOrNotPrintableIsDroppedAndTheTraceparentKept() {
        assertThat(TraceContext.parse(EVENT_TRACE, "a=" + "x".repeat(600))).contains(
                new TraceContext(EVENT_TRACE, Optional.empty()));
        assertThat(TraceContext.parse(EVENT_TRACE, "a=1\nb=2")).contains(new TraceContext(EVENT_TRACE, Optional.empty()));
    }

    @Test
    void aRejectedMessagesTraceComesFromItsTransport() {
        assertThat(TraceHeaders.ofTransport(Map.of("Diagnostic-Id", TRANSPORT_TRACE)).map(TraceContext::traceparent))
                .contains(TRANSPORT_TRACE);
        assertThat(TraceHeaders.ofTransport(Map.of())).isEmpty();
    }
}
