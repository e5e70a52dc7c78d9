package org.acslifecycle.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Optional;
import org.acslifecycle.core.TraceContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {

    private static final TraceContext PUBLISHER = new TraceContext(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Optional.of("hr=1"));

    @Test
    void offRecordsNothingYetCarriesThePublishersContextThrough() {
        Tracing off = Tracing.off();
        Span span = off.start("lifecycle intake", SpanKind.CONSUMER, Optional.of(PUBLISHER));

        assertThat(span.isRecording()).isFalse();
        try (Scope scope = Tracing.enter(span)) {
            assertThat(Tracing.current()).as("what an operation recorded now continues, and an outcome carries")
                    .contains(PUBLISHER);
            assertThat(MDC.get(Tracing.MDC_TRACE_ID)).isEqualTo(PUBLISHER.traceId());
        }
        assertThat(MDC.get(Tracing.MDC_TRACE_ID)).as("the MDC as it was, once the span is left").isNull();
        assertThat(Tracing.current()).isEmpty();
    }

    @Test
    void onAChildOfThePublishersSpanIsCurrentAndExportedWhenEnded() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
            Tracing tracing = Tracing.of(sdk);
            Span span = tracing.start("journal cut_off", SpanKind.INTERNAL, Optional.of(PUBLISHER));
            try (Scope scope = Tracing.enter(span)) {
                TraceContext current = Tracing.current().orElseThrow();
                assertThat(current.traceId()).isEqualTo(PUBLISHER.traceId());
                assertThat(current.spanId()).isEqualTo(span.getSpanContext().getSpanId()).isNotEqualTo(PUBLISHER.spanId());
                assertThat(current.tracestate()).contains("hr=1");
                assertThat(MDC.get(Tracing.MDC_SPAN_ID)).isEqualTo(current.spanId());
            }
            span.end();

            assertThat(exporter.getFinishedSpanItems()).singleElement().satisfies(data -> {
                assertThat(data.getTraceId()).isEqualTo(PUBLISHER.traceId());
                assertThat(data.getParentSpanId()).isEqualTo(PUBLISHER.spanId());
            });
        }
    }

    @Test
    void withoutAParentASpanStartsATraceOfItsOwn() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
            Span outer = Tracing.of(sdk).start("outer", SpanKind.INTERNAL, Optional.of(PUBLISHER));
            try (Scope scope = Tracing.enter(outer)) {
                // Not a child of whatever happens to be current on the thread (a pooled thread's leftovers).
                Span root = Tracing.of(sdk).start("lifecycle intake", SpanKind.CONSUMER, Optional.empty());
                assertThat(root.getSpanContext().getTraceId()).isNotEqualTo(PUBLISHER.traceId());
                root.end();
            }
            outer.end();
        }
    }
}
