package org.acslifecycle.emulators.acs;

import java.util.Map;

/**
 * Every error the emulator answers, shaped like the service's ({@code {"error":{"code","message","target"?}}}).
 * Messages quoted from recorded live-service sessions are marked "recorded"; the rest are our best guess where
 * no public recording exists (ACS note §4.2, §5.2, §6, §7).
 */
final class AcsErrors {

    private AcsErrors() {
    }

    // --- 400 ---

    /** Recorded (Python SDK, 2022-10-01): scopes null. */
    static AcsFailure scopesRequired() {
        return validation("Scopes: The Scopes field is required.", "Scopes");
    }

    /** Recorded (JS SDK): scopes []. */
    static AcsFailure scopesEmpty() {
        return validation("Invalid scopes - Scopes field is required.", "scopes");
    }

    /** Not recorded: unknown scope string. */
    static AcsFailure scopeNotSupported(String scope) {
        return validation("Invalid scopes - Scope '" + abbreviate(scope) + "' is not supported.", "scopes");
    }

    /** Recorded (Python SDK, 2023). */
    static AcsFailure expiresInMinutesOutOfRange(long value) {
        return validation("ExpiresInMinutes value " + value
                + " is invalid. Value must be within the [60, 1440] interval.", "ExpiresInMinutes");
    }

    /** Not recorded: body that is not the expected JSON. */
    static AcsFailure malformedBody() {
        return validation("The request body is not valid JSON for this operation.", null);
    }

    /** Not recorded: an id that is not {@code 8:acs:<guid>_<suffix>}. */
    static AcsFailure malformedIdentity() {
        return validation("Identity id is not valid.", "id");
    }

    /** ASP.NET API versioning's default answer (the real service is built on it; message recorded in 2021). */
    static AcsFailure unsupportedApiVersion(String rawUri, String version) {
        return new AcsFailure(400, "UnsupportedApiVersion", "The HTTP resource that matches the request URI '"
                + rawUri + "' does not support the API version '" + abbreviate(version) + "'.", null, Map.of());
    }

    static AcsFailure apiVersionMissing() {
        return new AcsFailure(400, "ApiVersionUnspecified", "An API version is required, but was not specified.",
                null, Map.of());
    }

    // --- repeatable requests: statuses from ACS's "Repeatable requests" table (Email, Rooms); codes and messages
    // not recorded for Identity ---

    /** 400: a repeatability header malformed, or one given without the other. */
    static AcsFailure repeatabilityHeaderInvalid(String header, String problem) {
        return repeatabilityRejected(400, "ValidationError", "The " + header + " header " + problem + ".", header);
    }

    /** 400: a request id seen before with another request. */
    static AcsFailure repeatabilityMismatch() {
        return repeatabilityRejected(400, "ValidationError", "The request does not match the earlier request with"
                + " this Repeatability-Request-ID.", "Repeatability-Request-ID");
    }

    /** 412: first sent longer ago than requests are tracked; repeating it could execute it twice. */
    static AcsFailure repeatabilityExpired(java.time.Duration window) {
        return repeatabilityRejected(412, "PreconditionFailed", "The Repeatability-First-Sent header is not within"
                + " the " + window.toHours() + " hour window.", "Repeatability-First-Sent");
    }

    private static AcsFailure repeatabilityRejected(int status, String code, String message, String target) {
        return new AcsFailure(status, code, message, target, Map.of("Repeatability-Result", "rejected"));
    }

    // --- 401 ---

    /** Recorded (JS SDK): id of another resource. */
    static AcsFailure identityNotOwned() {
        return new AcsFailure(401, "IdentityNotOwned", "Provided identity doesn't belong to the resource.", null,
                Map.of());
    }

    /** Message seen for an auth denial; the exact reply to a bad HMAC signature is not recorded. */
    static AcsFailure denied() {
        return denied("Denied by the resource provider.");
    }

    /** Recorded (azure-rest-api-specs issue #11767). */
    static AcsFailure contentHashMismatch() {
        return denied("Request 'x-ms-content-sha256' differs from generated content hash.");
    }

    static AcsFailure denied(String message) {
        return new AcsFailure(401, "Denied", message, null, Map.of("WWW-Authenticate", "HMAC-SHA256"));
    }

    /**
     * A bearer token ACS does not accept (bad signature, issuer, audience, expired): 401 {@code Denied} as on the
     * AAD path (ACS note §7.3); the message says why, never the token.
     */
    static AcsFailure bearerDenied(String reason) {
        return new AcsFailure(401, "Denied", reason, null,
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    // --- 404 ---

    static AcsFailure identityNotFound() {
        return new AcsFailure(404, "IdentityNotFound", "Identity not found.", null, Map.of());
    }

    static AcsFailure routeNotFound() {
        return new AcsFailure(404, "NotFound", "The requested resource was not found.", null, Map.of());
    }

    static AcsFailure methodNotAllowed() {
        return new AcsFailure(405, "MethodNotAllowed", "The requested HTTP method is not allowed.", null, Map.of());
    }

    // --- 429 / 5xx ---

    static AcsFailure tooManyRequests(long retryAfterSeconds) {
        return new AcsFailure(429, "TooManyRequests", "Rate limit exceeded. Try again in " + retryAfterSeconds
                + " seconds.", null, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** An injected fault (share, scripted or outage) with status 408, 429, 5xx or any other. */
    static AcsFailure injected(int status, int retryAfterSeconds) {
        Map<String, String> headers = retryAfterSeconds > 0 && (status == 429 || status == 503)
                ? Map.of("Retry-After", Integer.toString(retryAfterSeconds)) : Map.of();
        String code = switch (status) {
            case 408 -> "RequestTimeout";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalServerError";
            case 503 -> "ServiceUnavailable";
            default -> "EmulatedFault";
        };
        return new AcsFailure(status, code, "Injected by the ACS Identity emulator.", null, headers);
    }

    /** A lost answer (injected): the work was done, the client hears a gateway's 503. */
    static AcsFailure answerLost() {
        return new AcsFailure(503, "ServiceUnavailable", "Injected by the ACS Identity emulator after the request took"
                + " effect.", null, Map.of());
    }

    static AcsFailure internalError() {
        return new AcsFailure(500, "InternalServerError", "An internal error occurred.", null, Map.of());
    }

    static AcsFailure outage(int retryAfterSeconds) {
        Map<String, String> headers = retryAfterSeconds > 0
                ? Map.of("Retry-After", Integer.toString(retryAfterSeconds)) : Map.of();
        return new AcsFailure(503, "ServiceUnavailable", "The service is temporarily unavailable.", null, headers);
    }

    private static AcsFailure validation(String message, String target) {
        return new AcsFailure(400, "ValidationError", message, target, Map.of());
    }

    /** Echoed client values are cut short so an error body never grows with the request. */
    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
