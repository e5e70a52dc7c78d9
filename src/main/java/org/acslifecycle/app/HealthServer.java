package org.acslifecycle.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format) on the JDK's
 * HTTP server: three fixed endpoints need no web framework.
 */
final class HealthServer implements AutoCloseable {

    /** What a probe reports: healthy or not, and why, in one line. */
    record Status(boolean healthy, String detail) {}

    private final HttpServer server;


    HealthServer(String host, int port, Supplier<Status> liveness, Supplier<Status> readiness,
            PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "health-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/health/live", exchange -> status(exchange, liveness.get()));
        server.createContext("/health/ready", exchange -> status(exchange, readiness.get()));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void status(HttpExchange exchange, Status status) throws IOException {
        respond(exchange, status.healthy() ? 200 : 503, "text/plain; charset=utf-8",
                (status.healthy() ? "UP" : "DOWN") + ": " + status.detail() + "\n");
    }

    private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
