package org.acslifecycle.core.port;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What makes a create repeatable (ACS Identity 2023-08-01, {@code POST /identities}): the client's id for the
 * request and when it was first sent. Every attempt of one create sends the same pair, so an ACS that honours them
 * answers a repeat with the identity it made the first time instead of making another.
 *
 * @param requestId sent as {@code Repeatability-Request-ID}; random, never reused for another create
 * @param firstSent sent as {@code Repeatability-First-Sent}: the first attempt's time, whole seconds (HTTP-date)
 */
public record CreateRequest(UUID requestId, Instant firstSent) {

    public CreateRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(firstSent, "firstSent");
    }

    /** A new create first sent at {@code now}: its attempts, and only they, repeat it. */
    public static CreateRequest first(Instant now) {
        return new CreateRequest(UUID.randomUUID(), now);
    }
}
