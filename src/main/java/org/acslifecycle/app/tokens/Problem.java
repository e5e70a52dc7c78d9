package org.acslifecycle.app.tokens;

import java.time.Duration;
import java.util.Optional;

/**
 * An RFC 9457 problem the token service answers with: one stable {@code type} per reason, so clients branch
 * on it and not on the wording of {@code detail}. {@code detail} never holds a token, key or connection string.
 */
record Problem(Kind kind, String detail, Optional<Duration> retryAfter) {

    /** The stable reasons; {@link #type()} is what clients see, {@link #metricName()} what /metrics counts. */
    enum Kind {
        INVALID_REQUEST(400, "invalid-request", "The request body is not a valid token request"),
        INVALID_SCOPES(400, "invalid-scopes", "The scopes are not ACS token scopes"),
        INVALID_LIFETIME(400, "invalid-lifetime", "The token lifetime must be 60 to 1440 minutes"),
        PERSON_REQUIRED(400, "person-required", "The request must name a person"),
        UNAUTHENTICATED(401, "unauthenticated", "The caller's access token is missing or invalid"),
        CALLER_NOT_ALLOWED(403, "caller-not-allowed", "The caller may not ask for this person"),
        PERSON_NOT_ACTIVE(403, "person-not-active", "Tokens are issued only to ACTIVE people"),
        TERMINATION_IMMINENT(403, "termination-imminent", "The person's access ends before the shortest token would"),
        NO_IDENTITY(404, "no-identity", "The person has no ACS identity"),
        NOT_FOUND(404, "not-found", "No such resource"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Only POST is served here"),
        REQUEST_TOO_LARGE(413, "request-too-large", "The request body is too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The request body must be application/json"),
        ISSUE_BUDGET_EXHAUSTED(429, "issue-budget-exhausted", "The ACS issue-token budget is spent for now"),
        INTERNAL_ERROR(500, "internal-error", "The token service failed"),
        ACS_REJECTED(502, "acs-rejected", "ACS refused to issue the token"),
        ACS_CIRCUIT_OPEN(503, "acs-circuit-open", "ACS cannot be called now"),
        ACS_UNAVAILABLE(503, "acs-unavailable", "ACS is unavailable"),
        ISSUER_KEYS_UNAVAILABLE(503, "issuer-keys-unavailable", "The token issuer's keys cannot be fetched"),
        LEDGER_UNAVAILABLE(503, "ledger-unavailable", "The person's state cannot be read");

        static final String TYPE_PREFIX = "urn:acs-lifecycle:token-service:problem:";

        final int status;
        final String name;
        final String title;

        Kind(int status, String name, String title) {
            this.status = status;
            this.name = name;
            this.title = title;
        }

        String type() {
            return TYPE_PREFIX + name;
        }

        String metricName() {
            return name;
        }
    }

    static Problem of(Kind kind, String detail) {
        return new Problem(kind, detail, Optional.empty());
    }
}
