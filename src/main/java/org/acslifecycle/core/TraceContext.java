package org.acslifecycle.core;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C trace context (https://www.w3.org/TR/trace-context/) as it travels with an event and with each journal
 * operation, so the work an event causes joins the publisher's trace however much later and wherever it runs. Plain
 * text here: the core knows nothing of the tracing library, the adapters turn this into spans.
 *
 * @param traceparent {@code version-traceid-parentid-flags}, lower-case hex, never all-zero ids
 * @param tracestate  the vendors' state that travels with it, if any
 */
public record TraceContext(String traceparent, Optional<String> tracestate) {

    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    /** W3C: a tracestate of at most 32 members fits in 512 characters; a longer one may be dropped. */
    private static final int TRACESTATE_MAX = 512;
    private static final Pattern TRACESTATE = Pattern.compile("[\\x20-\\x7e]*");

    public TraceContext {
        Objects.requireNonNull(traceparent, "traceparent");
        Objects.requireNonNull(tracestate, "tracestate");
        if (!isValid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
    }

    /**
     * The context these header values give, or empty when the traceparent is missing or malformed: a bad trace header
     * never fails an event, the work just starts a trace of its own (W3C: "the vendor MUST ignore it"). A tracestate
     * that is too long or not printable is dropped, the traceparent kept.
     */
    public static Optional<TraceContext> parse(Object traceparent, Object tracestate) {
        if (!(traceparent instanceof String parent) || !isValid(parent.trim())) {
            return Optional.empty();
        }
        Optional<String> state = tracestate instanceof String text && !text.isBlank()
                && text.length() <= TRACESTATE_MAX && TRACESTATE.matcher(text).matches()
                ? Optional.of(text.trim()) : Optional.empty();
        return Optional.of(new TraceContext(parent.trim(), state));
    }

    private static boolean isValid(String traceparent) {
        return TRACEPARENT.matcher(traceparent).matches() && !traceparent.startsWith("ff")
                && !traceparent.substring(3, 35).equals(ZERO_TRACE) && !traceparent.substring(36, 52).equals(ZERO_SPAN);
    }

    /** The 32-hex-digit id of the whole trace. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The 16-hex-digit id of the span this context names as parent. */
    public String spanId() {
        return traceparent.substring(36, 52);
    }
}
