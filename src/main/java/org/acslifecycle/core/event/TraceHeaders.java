package org.acslifecycle.core.event;

import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.TraceContext;

/**
 * Where a message carries its publisher's W3C trace context, in the order trusted: the CloudEvents distributed
 * tracing extension ({@code traceparent}/{@code tracestate} attributes, either mode), which names the trace where the
 * change began; else the Service Bus application properties {@code traceparent}/{@code tracestate}, which a traced
 * sender sets; else {@code Diagnostic-Id}, the older name of the same header. A malformed header counts as absent.
 */
public final class TraceHeaders {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    static final String DIAGNOSTIC_ID = "Diagnostic-Id";

    private TraceHeaders() {
    }

    /** From the transport alone: for a message whose CloudEvent could not be read. */
    public static Optional<TraceContext> ofTransport(Map<String, Object> applicationProperties) {
        return TraceContext.parse(applicationProperties.get(TRACEPARENT), applicationProperties.get(TRACESTATE))
                .or(() -> TraceContext.parse(applicationProperties.get(DIAGNOSTIC_ID), null));
    }

    static Optional<TraceContext> of(Envelope envelope, Map<String, Object> applicationProperties) {
        return TraceContext.parse(envelope.attributes().get(TRACEPARENT), envelope.attributes().get(TRACESTATE))
                .or(() -> ofTransport(applicationProperties));
    }
}
