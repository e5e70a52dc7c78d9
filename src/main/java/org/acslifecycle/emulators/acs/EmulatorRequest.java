package org.acslifecycle.emulators.acs;

import com.sun.net.httpserver.Headers;
import java.time.Instant;
import java.util.Optional;

/**
 * One request as received: the raw (still percent-encoded) path and query, because that is what the client
 * signed, the headers, the body, and the single "now" every check of this request uses.
 */
record EmulatorRequest(String method, String rawPath, String rawQuery, Headers headers, byte[] body,
        Instant receivedAt) {

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }

    /** Path and query exactly as on the request line, as the HMAC string-to-sign has them. */
    String pathAndQuery() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    Optional<String> queryParameter(String name) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equalsIgnoreCase(name)) {
                return Optional.of(eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
