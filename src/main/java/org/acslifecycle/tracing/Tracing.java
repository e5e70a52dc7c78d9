package org.acslifecycle.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.TraceContext;
import org.slf4j.MDC;

/**
 * The worker's spans, on one {@link OpenTelemetry} the composition root gives (an SDK exporting over OTLP, or the
 * no-op one). Off costs nothing: the no-op API still carries a parent's context through a span it does not
 * record, so the publisher's trace context reaches the journal, the ACS calls and the outcome events either way.
 *
 * <p>Trace context crosses every boundary as {@link TraceContext} text, read and written by the W3C propagator:
 * from the message, into the journal (the executor runs later, elsewhere), into outcome events.
 */
public final class Tracing implements AutoCloseable {

    /** The instrumentation scope of the worker's own spans. */
    public static final String SCOPE = "org.acslifecycle.worker";
    /** MDC keys, as OpenTelemetry's logback MDC instrumentation names them. */
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_SPAN_ID = "span_id";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    private Tracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry);
    }

    /** No spans recorded or exported; trace context still passes through. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.noop());
    }

    /** For the Azure SDKs' own spans (azure-core's OpenTelemetry plugin). */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** A span named {@code name}, child of {@code parent} when there is one, else the root of a new trace. */
    public Span start(String name, SpanKind kind, Optional<TraceContext> parent) {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
        if (parent.isPresent()) {
            builder.setParent(context(parent.get()));
        } else {
            builder.setNoParent();
        }
        return builder.startSpan();
    }

    /** Makes {@code span} current on this thread and names its ids in the log MDC until closed. */
    public static Scope enter(Span span) {
        Scope scope = span.makeCurrent();
        SpanContext context = span.getSpanContext();
        if (!context.isValid()) {
            return scope;
        }
        String previousTrace = MDC.get(MDC_TRACE_ID);
        String previousSpan = MDC.get(MDC_SPAN_ID);
        MDC.put(MDC_TRACE_ID, context.getTraceId());
        MDC.put(MDC_SPAN_ID, context.getSpanId());
        return () -> {
            restore(MDC_TRACE_ID, previousTrace);
            restore(MDC_SPAN_ID, previousSpan);
            scope.close();
        };
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** The context current on this thread as W3C text, if there is a valid one: what work recorded now continues. */
    public static Optional<TraceContext> current() {
        Map<String, String> headers = new HashMap<>();
        W3C.inject(Context.current(), headers, Map::put);
        return TraceContext.parse(headers.get("traceparent"), headers.get("tracestate"));
    }

    /** Exports what is still buffered and stops the SDK, if this is one (the no-op has nothing to do). */
    @Override
    public void close() {
        if (openTelemetry instanceof java.io.Closeable sdk) {
            try {
                sdk.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot stop tracing", e);
            }
        }
    }

    private static Context context(TraceContext trace) {
        Map<String, String> headers = new HashMap<>();
        headers.put("traceparent", trace.traceparent());
        trace.tracestate().ifPresent(state -> headers.put("tracestate", state));
        return W3C.extract(Context.root(), headers, MAP_GETTER);
    }
}
