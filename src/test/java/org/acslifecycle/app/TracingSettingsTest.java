package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigException;
import org.acslifecycle.core.TraceContext;
import org.acslifecycle.tracing.Tracing;
import org.junit.jupiter.api.Test;

/** Tracing is off unless an OTLP endpoint is configured; then spans reach it over OTLP/HTTP. */
class TracingSettingsTest {

    @Test
    void withoutAnEndpointTracingIsOff() {
        TracingSettings settings = TracingSettings.from(Config.of(Map.of(), Map.of()));

        assertThat(settings.endpoint()).isEmpty();
        try (Tracing tracing = settings.start()) {
            assertThat(tracing.start("x", SpanKind.INTERNAL, Optional.empty()).isRecording()).isFalse();
        }
    }

    @Test
    void theEnvironmentVariableOfOpenTelemetrySwitchesItOnToo() {
        TracingSettings settings = TracingSettings.from(Config.of(Map.of(),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));

        assertThat(settings.endpoint()).hasValueSatisfying(uri -> assertThat(uri.getHost()).isEqualTo("collector"));
    }

    @Test
    void aBadEndpointStopsStartUpNamingTheKeyAndNotTheValue() {
        assertThatThrownBy(() -> TracingSettings.from(Config.of(
                Map.of("otel.exporter.otlp.endpoint", "ftp://user:secret@collector"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otel.exporter.otlp.endpoint")
                .hasMessageNotContaining("secret");
    }

    @Test
    void grpcIsRefusedAtStartUpForThisWorkerExportsOverHttp() {
        assertThatThrownBy(() -> TracingSettings.from(Config.of(Map.of("otel.exporter.otlp.endpoint",
                "http://collector:4317", "otel.exporter.otlp.protocol", "grpc"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otel.exporter.otlp.protocol").hasMessageContaining("http/protobuf");
    }

    @Test
    void spansAreExportedOverOtlpHttpToTheConfiguredEndpointAndItsHeadersStayOutOfToString() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        List<String> apiKeys = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            apiKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("api-key")));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            bodies.add(body.toByteArray());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            TracingSettings settings = TracingSettings.from(Config.of(Map.of(
                    "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort(),
                    "otel.exporter.otlp.headers", "api-key=s3cr3t-value"), Map.of()));
            assertThat(settings.toString()).doesNotContain("s3cr3t");
            TraceContext publisher = new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    Optional.empty());
            try (Tracing tracing = settings.start()) {
                Span span = tracing.start("lifecycle intake", SpanKind.CONSUMER, Optional.of(publisher));
                span.end();
            } // close flushes the batch

            assertThat(paths).contains("/v1/traces");
            assertThat(apiKeys).contains("s3cr3t-value");
            byte[] traceId = HexFormat.of().parseHex(publisher.traceId());
            assertThat(bodies).as("an OTLP export naming the publisher's trace")
                    .anySatisfy(body -> assertThat(indexOf(body, traceId)).isNotNegative());
        } finally {
            collector.stop(0);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
