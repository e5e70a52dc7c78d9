package org.acslifecycle.identity;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.URL;
import org.acslifecycle.tracing.Tracing;
import reactor.core.publisher.Mono;

/**
 * A client span for each HTTP request to ACS, with the OpenTelemetry HTTP conventions, and the W3C
 * {@code traceparent} on the request. azure-core's own HTTP instrumentation is added only by builders that ask for it,
 * which the ACS Identity builder (1.4.10) does not; its tracing plugin still gives the SDK method's span, and this
 * span is that one's child (azure-core hands it on in the call's context). No query string is recorded.
 */
final class HttpSpanPolicy implements HttpPipelinePolicy {

    private final Tracer tracer;

    HttpSpanPolicy(Tracing tracing) {
        this.tracer = tracing.openTelemetry().getTracer(Tracing.SCOPE + ".acs-http");
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        Span span = start(context);
        return next.process()
                .doOnNext(response -> answered(span, response))
                .doOnError(error -> failed(span, error))
                .doFinally(signal -> span.end());
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        Span span = start(context);
        try {
            HttpResponse response = next.processSync();
            answered(span, response);
            return response;
        } catch (RuntimeException error) {
            failed(span, error);
            throw error;
        } finally {
            span.end();
        }
    }

    private Span start(HttpPipelineCallContext call) {
        HttpRequest request = call.getHttpRequest();
        URL url = request.getUrl();
        Context parent = call.getData(com.azure.core.util.tracing.Tracer.PARENT_TRACE_CONTEXT_KEY)
                .filter(Context.class::isInstance).map(Context.class::cast).orElseGet(Context::current);
        String method = request.getHttpMethod().name();
        Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute("http.request.method", method)
                .setAttribute("server.address", url.getHost())
                .setAttribute("server.port", (long) (url.getPort() > 0 ? url.getPort() : url.getDefaultPort()))
                .setAttribute("url.full", url.getProtocol() + "://" + url.getAuthority() + url.getPath())
                .startSpan();
        W3CTraceContextPropagator.getInstance().inject(parent.with(span), request,
                (carrier, name, value) -> carrier.setHeader(HttpHeaderName.fromString(name), value));
        return span;
    }

    private static void answered(Span span, HttpResponse response) {
        span.setAttribute("http.response.status_code", (long) response.getStatusCode());
        if (response.getStatusCode() >= 400) {
            span.setStatus(StatusCode.ERROR);
        }
    }

    private static void failed(Span span, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR);
    }
}
