package org.acslifecycle.identity;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.acslifecycle.core.port.CreateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Puts a create's repeatability headers (ACS Identity 2023-08-01, {@code POST /identities}) on the wire. The SDK
 * (1.4.10) has no parameter for them, so the adapter passes the {@link CreateRequest} in the call's {@link Context}
 * and this policy, in the client's pipeline, writes it as {@code Repeatability-Request-ID} and
 * {@code Repeatability-First-Sent}. The adapter retries a call with the same context, so every attempt sends the same
 * pair. Calls without one (revoke, delete, issue) pass through untouched.
 */
final class RepeatabilityPolicy implements HttpPipelinePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatabilityPolicy.class);

    static final String REQUEST_ID = "Repeatability-Request-ID";
    static final String FIRST_SENT = "Repeatability-First-Sent";
    static final String RESULT = "Repeatability-Result";
    private static final String CONTEXT_KEY = "acs-lifecycle.create-request";

    /** RFC 1123 (IMF-fixdate) as the spec's {@code date-time-rfc1123}, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** Warn once per client, then at debug: an ACS that ignores the headers ignores them on every create. */
    private final AtomicBoolean warned = new AtomicBoolean();

    /** The context the adapter gives a create call. */
    static Context context(CreateRequest request) {
        return Context.NONE.addData(CONTEXT_KEY, request);
    }

    static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        boolean repeatable = addHeaders(context);
        return next.process().doOnNext(response -> noteResult(repeatable, response));
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        boolean repeatable = addHeaders(context);
        HttpResponse response = next.processSync();
        noteResult(repeatable, response);
        return response;
    }

    private static boolean addHeaders(HttpPipelineCallContext context) {
        Object data = context.getData(CONTEXT_KEY).orElse(null);
        if (!(data instanceof CreateRequest request)) {
            return false;
        }
        context.getHttpRequest().setHeader(HttpHeaderName.fromString(REQUEST_ID),
                request.requestId().toString());
        context.getHttpRequest().setHeader(HttpHeaderName.fromString(FIRST_SENT),
                httpDate(request.firstSent()));
        return true;
    }

    /**
     * A created identity without {@code Repeatability-Result} means this ACS did not process the create repeatably:
     * a retry of it may make a second identity, so say so where an operator will look (DESIGN §4).
     */
    private void noteResult(boolean repeatable, HttpResponse response) {
        if (!repeatable || response.getStatusCode() != 201
                || response.getHeaderValue(HttpHeaderName.fromString(RESULT)) != null) {
            return;
        }
        if (warned.getAndSet(true)) {
            LOG.debug("ACS created an identity without a {} header", RESULT);
        } else {
            LOG.warn("ACS created an identity without a {} header: it may ignore repeatable requests, so a retried"
                    + " create can leave an orphan (`ledger intents` lists the possible ones)", RESULT);
        }
    }
}
