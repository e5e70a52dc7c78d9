package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.tokens.DevIssuer;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.execution.OperationRunner;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.tracing.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One trace from the HR publisher to ACS: the worker, on the real SDKs and the emulators, continues the trace context
 * a message carries through intake, the journal (the executor runs the operation later, from the ledger) and the
 * ACS HTTP call, logs its ids, and hands it on in the outcome event. Spans go to an in-memory exporter.
 */
class TracingEndToEndTest {

    private static final String PUBLISHER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PUBLISHER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + PUBLISHER_TRACE + "-" + PUBLISHER_SPAN + "-01";

    @TempDir
    Path directory;

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    private DevIssuer issuer;
    private LocalWorker local;
    private ServiceBusReceiverClient audit;
    private final ListAppender<ILoggingEvent> runnerLog = new ListAppender<>();
    private final Instant base = Instant.now().minusSeconds(3600);

    @BeforeEach
    void start() throws Exception {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        issuer = DevIssuer.start("oid", Clock.systemUTC());
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(),
                Map.of("tokens.port", "0", "tokens.auth.issuer", issuer.issuer(),
                        "tokens.auth.audience", issuer.audience(), "tokens.auth.jwks-url", issuer.jwksUrl().toString()),
                Tracing.of(sdk));
        audit = ServiceBusClients.builder(local.settings.serviceBus()).receiver().topicName("lifecycle-outcomes")
                .subscriptionName("audit").receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE).buildClient();
        runnerLog.start();
        ((Logger) LoggerFactory.getLogger(OperationRunner.class)).addAppender(runnerLog);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(OperationRunner.class)).detachAppender(runnerLog);
        audit.close();
        local.close();
        issuer.close();
        sdk.close();
    }

    @Test
    void thePublishersTraceIdReachesTheAcsCallSpanTheLogAndTheOutcomeEvent() throws Exception {
        ObjectNode event = event("t1", "tina");
        event.put("traceparent", TRACEPARENT);
        event.put("tracestate", "hr=onboarding");
        local.sender().sendMessage(structured(event));

        awaitIdentity("tina");
        SpanData intake = await().atMost(Duration.ofSeconds(10)).until(() -> span("lifecycle intake", PUBLISHER_TRACE),
                Optional::isPresent).get();
        assertThat(intake.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(intake.getParentSpanId()).as("the intake span's parent: the publisher's span").isEqualTo(PUBLISHER_SPAN);
        assertThat(intake.getSpanContext().getTraceState().get("hr")).as("tracestate carried on").isEqualTo("onboarding");

        SpanData operation = await().atMost(Duration.ofSeconds(10))
                .until(() -> span("journal create", PUBLISHER_TRACE), Optional::isPresent).get();
        assertThat(operation.getParentSpanId()).as("the journal operation continues the intake that recorded it")
                .isEqualTo(intake.getSpanId());

        // azure-core's plugin makes the SDK method's span; the HTTP request to ACS is a client span under it.
        SpanData sdkCall = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getParentSpanId().equals(operation.getSpanId()))
                .filter(span -> span.getInstrumentationScopeInfo().getName().equals("azure-core"))
                .findFirst().orElseThrow(() -> new AssertionError("no SDK span under the journal operation"));
        List<SpanData> acsCalls = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CLIENT)
                .filter(span -> span.getParentSpanId().equals(sdkCall.getSpanId())).toList();
        assertThat(acsCalls).as("the ACS HTTP call, a client span of the SDK call").hasSize(1);
        SpanData http = acsCalls.get(0);
        assertThat(http.getTraceId()).isEqualTo(PUBLISHER_TRACE);
        assertThat(http.getName()).isEqualTo("POST");
        assertThat(http.getAttributes().asMap().entrySet()).anySatisfy(attribute -> {
            assertThat(attribute.getKey().getKey()).isEqualTo("http.response.status_code");
            assertThat(attribute.getValue()).isEqualTo(201L);
        });
        assertThat(local.emulators.acs().lastTraceparent()).as("the traceparent ACS received: the HTTP span's")
                .contains("00-" + PUBLISHER_TRACE + "-" + http.getSpanId() + "-01");

        assertThat(runnerLog.list).filteredOn(line -> line.getFormattedMessage().contains("done"))
                .as("the executor's log line names the trace and its span")
                .anySatisfy(line -> {
                    assertThat(line.getMDCPropertyMap()).containsEntry(Tracing.MDC_TRACE_ID, PUBLISHER_TRACE);
                    assertThat(line.getMDCPropertyMap()).containsEntry(Tracing.MDC_SPAN_ID, operation.getSpanId());
                });

        ServiceBusReceivedMessage outcome = provisioned("tina");
        String traceparent = (String) outcome.getApplicationProperties().get("traceparent");
        assertThat(traceparent).as("the outcome event's traceparent: the journal operation's span")
                .isEqualTo("00-" + PUBLISHER_TRACE + "-" + operation.getSpanId() + "-01");
        assertThat(outcome.getApplicationProperties().get("Diagnostic-Id")).isEqualTo(traceparent);
        assertThat(new ObjectMapper().readTree(outcome.getBody().toBytes()).path("traceparent").asText())
                .as("and its CloudEvents traceparent extension").isEqualTo(traceparent);
    }

    @Test
    void aServiceBusDiagnosticIdIsContinuedWhenTheEventCarriesNoTraceparent() {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        ServiceBusMessage message = structured(event("d1", "dan"));
        message.getApplicationProperties().put("Diagnostic-Id", "00-" + trace + "-b7ad6b7169203331-01");
        local.sender().sendMessage(message);

        awaitIdentity("dan");
        await().atMost(Duration.ofSeconds(10)).until(() -> span("journal create", trace), Optional::isPresent);
        assertThat(span("lifecycle intake", trace)).get().extracting(SpanData::getParentSpanId)
                .isEqualTo("b7ad6b7169203331");
    }

    @Test
    void aMalformedTraceparentStartsATraceOfItsOwnAndTheEventIsStillApplied() {
        ObjectNode event = event("m1", "mia");
        event.put("traceparent", "00-not-a-trace-01");
        local.sender().sendMessage(structured(event));

        awaitIdentity("mia");
        SpanData intake = await().atMost(Duration.ofSeconds(10)).until(
                () -> spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("lifecycle intake"))
                        .filter(s -> "m1".equals(s.getAttributes().get(AttributeKey.stringKey("cloudevents.event_id"))))
                        .findFirst(), Optional::isPresent).get();
        assertThat(intake.getParentSpanContext().isValid()).as("a root span: nothing to continue").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> span("journal create", intake.getTraceId()), Optional::isPresent);
    }

    @Test
    void aFutureDatedOffboardingKeepsItsTraceUntilItsCutOffRuns() throws Exception {
        local.sender().sendMessage(structured(event("f1", "fay")));
        awaitIdentity("fay");
        String trace = "6bf92f3577b34da6a3ce929d0e0e4736";
        ObjectNode leave = (ObjectNode) new ObjectMapper().readTree(EventPublisher.cloudEvent("f2", "/hr/tracing",
                "user.offboarded", "fay", Instant.now().toString(), "resigned",
                Instant.now().plusSeconds(3).toString()));
        leave.put("traceparent", "00-" + trace + "-2222222222222222-01");
        local.sender().sendMessage(structured(leave));

        // Recorded as the person's pending change (with its trace), applied at its effective time by the scheduler,
        // whose operation the executor then runs: all in the publisher's trace.
        SpanData cutOff = await().atMost(Duration.ofSeconds(30)).until(() -> span("journal cut_off", trace),
                Optional::isPresent).get();
        assertThat(span("lifecycle intake", trace)).get().extracting(SpanData::getSpanId)
                .isEqualTo(cutOff.getParentSpanId());
    }

    @Test
    void aTokenRequestContinuesItsCallersTraceparentDownToTheAcsCall() throws Exception {
        local.sender().sendMessage(structured(event("k1", "kim")));
        awaitIdentity("kim");
        String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
        URI tokens = URI.create("http://127.0.0.1:" + local.worker.tokenServicePort().orElseThrow() + "/v1/tokens");

        HttpResponse<String> issued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tokens)
                .header("Authorization", "Bearer " + issuer.minter().mint("kim", List.of(), Duration.ofMinutes(5)))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + trace + "-1111111111111111-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\": [\"chat\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        SpanData request = await().atMost(Duration.ofSeconds(10)).until(() -> span("token request", trace),
                Optional::isPresent).get();
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getParentSpanId()).isEqualTo("1111111111111111");
        assertThat(spans.getFinishedSpanItems()).as("the ACS call it made, in the caller's trace")
                .anySatisfy(span -> {
                    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
                    assertThat(span.getTraceId()).isEqualTo(trace);
                });
    }

    private Optional<SpanData> span(String name, String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name))
                .filter(span -> span.getTraceId().equals(traceId)).findFirst();
    }

    private void awaitIdentity(String subject) {
        await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().history(subject)
                .flatMap(history -> history.record()).flatMap(PersonRecord::acsUserId).isPresent());
    }

    private ServiceBusReceivedMessage provisioned(String subject) {
        List<ServiceBusReceivedMessage> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ServiceBusReceivedMessage message : audit.receiveMessages(10, Duration.ofSeconds(2))) {
                if ("identity.provisioned".equals(message.getSubject())
                        && message.getBody().toString().contains("\"subject\":\"" + subject + "\"")) {
                    return message;
                }
                seen.add(message);
            }
        }
        throw new AssertionError("no identity.provisioned outcome for " + subject + " among " + seen.size());
    }

    private ObjectNode event(String id, String subject) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(EventPublisher.cloudEvent(id, "/hr/tracing",
                    "user.onboarded", subject, base.toString(), null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ServiceBusMessage structured(ObjectNode event) {
        ServiceBusMessage message = new ServiceBusMessage(event.toString());
        message.setContentType("application/cloudevents+json");
        message.setMessageId(event.path("id").asText());
        return message;
    }
}
