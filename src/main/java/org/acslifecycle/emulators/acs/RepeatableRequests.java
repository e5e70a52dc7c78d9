package org.acslifecycle.emulators.acs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Repeatable creates (Identity 2023-08-01 spec, {@code POST /identities}; OASIS Repeatable Requests 1.0, as ACS
 * documents it for Email and Rooms in "Repeatable requests"): a create carrying a {@code Repeatability-Request-ID}
 * seen before, within the window, gets the first answer again (same status, same body) instead of a new identity.
 *
 * <p>Choices where the Identity service's behaviour is not documented: the window is {@link #WINDOW} (ACS documents
 * 5 minutes for Email and Rooms, nothing for Identity); only a successful create (2xx) is remembered, so a create
 * refused by validation or an injected fault is executed afresh when repeated; a repeat with another body is
 * rejected (400), a first-sent older than the window is rejected (412), a malformed or half-given pair is rejected
 * (400), all with {@code Repeatability-Result: rejected} (the documented table). Requests without the headers are
 * not tracked.
 */
final class RepeatableRequests {

    /** How long a request id is remembered, counted from its first-sent time. */
    static final Duration WINDOW = Duration.ofHours(24);

    static final String REQUEST_ID = "Repeatability-Request-ID";
    static final String FIRST_SENT = "Repeatability-First-Sent";
    static final String RESULT = "Repeatability-Result";

    /** The pair a request carried. */
    record Repeatable(UUID requestId, Instant firstSent) {}

    /** The answer, and whether it is a replay of an earlier one. */
    record Outcome(Reply reply, boolean replayed) {}

    private record Remembered(Instant firstSent, byte[] bodyHash, Reply reply) {}

    /** Oldest first (insertion order), so expired entries are dropped from the head. */
    private final Map<UUID, Remembered> seen = new LinkedHashMap<>();

    /** The request's pair, empty when it carries neither header; 400 when it is malformed or half given. */
    static Optional<Repeatable> of(EmulatorRequest request) {
        Optional<String> id = request.header(REQUEST_ID);
        Optional<String> firstSent = request.header(FIRST_SENT);
        if (id.isEmpty() && firstSent.isEmpty()) {
            return Optional.empty();
        }
        if (id.isEmpty()) {
            throw AcsErrors.repeatabilityHeaderInvalid(REQUEST_ID, "is required with " + FIRST_SENT);
        }
        if (firstSent.isEmpty()) {
            throw AcsErrors.repeatabilityHeaderInvalid(FIRST_SENT, "is required with " + REQUEST_ID);
        }
        return Optional.of(new Repeatable(requestId(id.get()), firstSent(firstSent.get())));
    }

    /**
     * Runs {@code create} once per request id within the window; a repeat gets the remembered answer. One at a time,
     * so two attempts of one create racing each other (a client that timed out and retried while the first was still
     * being handled) still make one identity.
     */
    synchronized Outcome once(Repeatable repeatable, byte[] body, Instant now, Supplier<Reply> create) {
        forgetExpired(now);
        if (repeatable.firstSent().plus(WINDOW).isBefore(now)) {
            throw AcsErrors.repeatabilityExpired(WINDOW);
        }
        byte[] hash = sha256(body);
        Remembered earlier = seen.get(repeatable.requestId());
        if (earlier != null) {
            if (!Arrays.equals(earlier.bodyHash(), hash) || !earlier.firstSent().equals(repeatable.firstSent())) {
                throw AcsErrors.repeatabilityMismatch();
            }
            return new Outcome(earlier.reply(), true);
        }
        Reply reply = create.get();
        if (reply.status() / 100 == 2) {
            seen.put(repeatable.requestId(), new Remembered(repeatable.firstSent(), hash, reply));
        }
        return new Outcome(reply, false);
    }

    synchronized void clear() {
        seen.clear();
    }

    private void forgetExpired(Instant now) {
        Iterator<Remembered> oldest = seen.values().iterator();
        // Insertion order is close to first-sent order; an entry out of order is only kept a little longer.
        while (oldest.hasNext()) {
            if (!oldest.next().firstSent().plus(WINDOW).isBefore(now)) {
                return;
            }
            oldest.remove();
        }
    }

    private static UUID requestId(String value) {
        try {
            UUID id = UUID.fromString(value.trim());
            // UUID.fromString takes "1-2-3-4-5"; the spec says a UUID, so the canonical 36 characters.
            if (value.trim().length() != 36) {
                throw new IllegalArgumentException(value);
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw AcsErrors.repeatabilityHeaderInvalid(REQUEST_ID, "must be a UUID");
        }
    }

    private static Instant firstSent(String value) {
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            throw AcsErrors.repeatabilityHeaderInvalid(FIRST_SENT, "must be an HTTP-date (IMF-fixdate)");
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
