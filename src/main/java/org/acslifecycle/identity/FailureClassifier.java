package org.acslifecycle.identity;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.acslifecycle.core.port.DirectoryFailure;

/**
 * Maps whatever one SDK call threw to exactly one {@link DirectoryFailure} (DESIGN §5). The sync client throws the
 * internal {@code CommunicationErrorResponseException}; it is read only through its public supertype
 * {@link HttpResponseException}, its error code through Jackson from the deserialised error value.
 *
 * <p>Messages are built here from the status, the ACS error code and message, and exception class names; they never
 * contain the access key, the connection string or a token (and {@link #scrub} removes any that might slip in).
 */
final class FailureClassifier {

    private static final HttpHeaderName RETRY_AFTER_MS = HttpHeaderName.fromString("retry-after-ms");
    private static final HttpHeaderName X_MS_RETRY_AFTER_MS = HttpHeaderName.fromString("x-ms-retry-after-ms");
    private static final Pattern SECRETS = Pattern.compile(
            "(?i)(accesskey=)[^;\\s\"]+|(Bearer\\s+)\\S+|eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final ObjectMapper json;

    FailureClassifier(ObjectMapper json) {
        this.json = json;
    }

    /** The HTTP status of an ACS answer in the failure's cause chain, if there was one. */
    static Optional<Integer> status(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException e && e.getResponse() != null) {
                return Optional.of(e.getResponse().getStatusCode());
            }
        }
        return Optional.empty();
    }

    DirectoryFailure classify(String operation, Throwable error) {
        if (error instanceof DirectoryFailure already) {
            return already;
        }
        if (error instanceof ClientAuthenticationException) {
            // Entra ID / managed identity could not get a token for ACS: fixable only by an operator.
            return new DirectoryFailure.Systemic(operation, 401, "authentication to ACS failed ("
                    + error.getClass().getSimpleName() + ")", error);
        }
        HttpResponseException http = find(error, HttpResponseException.class);
        if (http != null && http.getResponse() != null) {
            return classifyHttp(operation, http);
        }
        if (find(error, SSLHandshakeException.class) != null || find(error, SSLPeerUnverifiedException.class) != null
                || find(error, CertificateException.class) != null) {
            // An I/O failure by type, but retrying cannot fix a certificate the client does not trust.
            return new DirectoryFailure.Systemic(operation, 0, "TLS handshake with ACS failed: " + describe(error),
                    error);
        }
        if (find(error, TimeoutException.class) != null) {
            return new DirectoryFailure.Transient(operation, "ACS did not answer in time: " + describe(error), null,
                    error);
        }
        if (find(error, IOException.class) != null) {
            return new DirectoryFailure.Transient(operation, "I/O failure talking to ACS: " + describe(error), null,
                    error);
        }
        // Anything else (a client-side bug or misconfiguration) will not heal by retrying this event.
        return new DirectoryFailure.Systemic(operation, 0, "unexpected failure calling ACS: " + describe(error), error);
    }

    /**
     * Whether a failed attempt may nevertheless have had its effect (ACS created the identity but the answer was
     * lost). Only a 429 (refused before processing) or a refused connection (nothing sent) rule that out.
     */
    static boolean mayHaveTakenEffect(DirectoryFailure failure) {
        Optional<Integer> status = status(failure);
        if (status.isPresent()) {
            return status.get() != 429;
        }
        return find(failure, ConnectException.class) == null;
    }

    private DirectoryFailure classifyHttp(String operation, HttpResponseException e) {
        int status = e.getResponse().getStatusCode();
        AcsError error = acsError(e);
        String message = "ACS answered " + status + " " + error.code() + (error.message().isEmpty() ? ""
                : ": " + scrub(error.message()));
        if (status == 408 || status == 429 || status >= 500) {
            return new DirectoryFailure.Transient(operation, message, retryAfter(e.getResponse().getHeaders())
                    .orElse(null), status == 429, e);
        }
        if (status == 401 && "IdentityNotOwned".equals(error.code())) {
            // A 401 about this one identity (it belongs to another resource), not about our key: permanent for this
            // request; stopping all intake for it would punish every other event.
            return new DirectoryFailure.Permanent(operation, status, error.code(), message, e);
        }
        if (status == 401 || status == 403) {
            return new DirectoryFailure.Systemic(operation, status, message, e);
        }
        if (status >= 400) {
            return new DirectoryFailure.Permanent(operation, status, error.code(), message, e);
        }
        // 1xx-3xx or an unexpected 2xx that the SDK refused: the endpoint is not speaking ACS (wrong URL, proxy).
        return new DirectoryFailure.Systemic(operation, status, message, e);
    }

    private record AcsError(String code, String message) {
    }

    /** The {@code {"error":{"code","message"}}} the SDK deserialised, read without its internal types. */
    private AcsError acsError(HttpResponseException e) {
        Object value = e.getValue();
        if (value != null) {
            try {
                JsonNode tree = json.valueToTree(value);
                JsonNode error = tree.has("error") ? tree.get("error") : tree;
                String code = error.path("code").asText("");
                if (!code.isEmpty()) {
                    return new AcsError(code, error.path("message").asText(""));
                }
            } catch (IllegalArgumentException ignored) {
                // Not a bean Jackson can read: fall through to the status-only code.
            }
        }
        return new AcsError("Http" + e.getResponse().getStatusCode(), "");
    }

    /** {@code x-ms-retry-after-ms}, {@code retry-after-ms}, then {@code Retry-After} (seconds or HTTP date). */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        for (HttpHeaderName name : new HttpHeaderName[] {X_MS_RETRY_AFTER_MS, RETRY_AFTER_MS}) {
            String ms = headers.getValue(name);
            if (ms != null) {
                try {
                    return Optional.of(Duration.ofMillis(Math.max(0, Long.parseLong(ms.trim()))));
                } catch (NumberFormatException ignored) {
                    // try the next header
                }
            }
        }
        String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    static String scrub(String text) {
        return SECRETS.matcher(text).replaceAll(m -> m.group(1) != null ? m.group(1) + "<redacted>"
                : m.group(2) != null ? m.group(2) + "<redacted>" : "<redacted-token>");
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + scrub(message) + ")");
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
