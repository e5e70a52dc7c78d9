package org.acslifecycle.emulators.acs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns JDK HTTP exchanges into {@link EmulatorRequest}s and {@link Reply}s back; nothing else. */
final class HttpEdge implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    /** The service's body limit is not documented; this only keeps a misbehaving client from exhausting memory. */
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final IdentityApi identityApi;
    private final AdminApi adminApi;
    private final Clock clock;

    HttpEdge(IdentityApi identityApi, AdminApi adminApi, Clock clock) {
        this.identityApi = identityApi;
        this.adminApi = adminApi;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            byte[] body = readBody(exchange.getRequestBody());
            EmulatorRequest request = new EmulatorRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), exchange.getRequestHeaders(), body, clock.instant());
            Reply reply = request.rawPath().startsWith(AdminApi.PREFIX)
                    ? adminApi.handle(request)
                    : identityApi.handle(request, "https://" + exchange.getRequestHeaders().getFirst("Host")
                            + uri.getRawPath());
            LOG.debug("{} {} -> {}", request.method(), request.rawPath(), reply.status());
            for (Map.Entry<String, String> header : reply.headers().entrySet()) {
                exchange.getResponseHeaders().set(header.getKey(), header.getValue());
            }
            if (reply.body().length == 0) {
                exchange.sendResponseHeaders(reply.status(), -1);
            } else {
                exchange.sendResponseHeaders(reply.status(), reply.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("ACS emulator failed to answer a request: {}", e.toString());
            throw e;
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new IOException("request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }
}
