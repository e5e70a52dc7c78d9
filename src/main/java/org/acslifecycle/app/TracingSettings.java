package org.acslifecycle.app;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.tracing.Tracing;

/**
 * Whether and where the worker exports traces. Off unless {@code otel.exporter.otlp.endpoint} is set (file or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}); then OpenTelemetry's SDK autoconfiguration reads every {@code otel.*} key
 * of the file, and the standard {@code OTEL_*} variables over them, so a collector, the Azure Monitor OpenTelemetry
 * distro's endpoint or any OTLP backend is configured as the OpenTelemetry documentation says (protocol, headers,
 * sampler, resource attributes). Traces only: the worker's metrics stay on Prometheus, its logs on stderr.
 *
 * @param endpoint   the OTLP endpoint, when tracing is on
 * @param properties the {@code otel.*} keys of the configuration file, given to the autoconfiguration
 */
record TracingSettings(Optional<URI> endpoint, Map<String, String> properties) {

    static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String PROTOCOL = "otel.exporter.otlp.protocol";
    /** OTLP over HTTP, with the JDK's client: gRPC would need OkHttp or Netty's gRPC channel in the jar. */
    private static final java.util.Set<String> PROTOCOLS = java.util.Set.of("http/protobuf", "http/json");

    static final TracingSettings OFF = new TracingSettings(Optional.empty(), Map.of());

    TracingSettings {
        properties = Map.copyOf(properties);
    }

    static TracingSettings from(Config config) {
        Optional<String> endpoint = config.optional(ENDPOINT);
        if (endpoint.isEmpty()) {
            return OFF;
        }
        URI uri;
        try {
            uri = URI.create(endpoint.get());
        } catch (IllegalArgumentException e) {
            throw config.bad(ENDPOINT, "must be an http:// or https:// URL, was not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            // No value in the message: an endpoint URL may carry credentials.
            throw config.bad(ENDPOINT, "must be an http:// or https:// URL with a host");
        }
        Map<String, String> properties = new HashMap<>(config.withPrefix("otel."));
        properties.put(ENDPOINT, uri.toString());
        for (String key : List.of(PROTOCOL, "otel.exporter.otlp.traces.protocol")) {
            Optional<String> protocol = config.optional(key);
            if (protocol.isPresent() && !PROTOCOLS.contains(protocol.get())) {
                throw config.bad(key, "must be http/protobuf or http/json (this worker exports OTLP over HTTP), was '"
                        + protocol.get() + "'");
            }
            protocol.ifPresent(value -> properties.put(key, value));
        }
        return new TracingSettings(Optional.of(uri), properties);
    }

    /** The worker's tracing: the no-op one when off, else an SDK exporting spans over OTLP in batches. */
    Tracing start() {
        if (endpoint.isEmpty()) {
            return Tracing.off();
        }
        Map<String, String> defaults = new HashMap<>(Map.of(
                "otel.service.name", "acs-lifecycle-worker",
                // The protocol OpenTelemetry's specification makes the default (port 4318); the Java SDK's is gRPC.
                PROTOCOL, "http/protobuf",
                "otel.traces.exporter", "otlp",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none"));
        defaults.putAll(properties);
        return Tracing.of(AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                // The worker's own shutdown flushes it (Worker.close), after the last operation's span.
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk());
    }

    @Override
    public String toString() {
        // Headers (otel.exporter.otlp.headers) may hold an API key: only the endpoint's host is ever shown.
        return endpoint.map(uri -> "tracing to " + uri.getScheme() + "://" + uri.getHost()
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "")).orElse("tracing off");
    }
}
