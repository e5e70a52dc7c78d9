package org.acslifecycle.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the audit trail: every applied, stale, duplicate and rejected event, and every operator
 * action, leaves one. Fields a rejected message could not supply are empty.
 *
 * @param actor who caused it: {@code worker} for events, the operator's name for CLI actions and replays
 */
public record AuditEntry(
        Optional<String> eventId,
        Optional<String> eventSource,
        Optional<String> eventType,
        Optional<String> subject,
        Optional<Instant> eventTime,
        Outcome outcome,
        Optional<String> acsUserId,
        Optional<String> reason,
        String actor,
        Instant recordedAt) {

    public static final String WORKER = "worker";

    public enum Outcome {
        APPLIED,
        /** Older than the person's newest event, and inserted into their history it changed the outcome. */
        APPLIED_LATE,
        /** Older than the person's newest event, and inserted into their history it changed nothing. */
        STALE,
        /** Future-dated: the person's pending change until its effective time (then applied, with a row of its own). */
        SCHEDULED,
        DUPLICATE,
        REJECTED,
        /** A journal operation ACS acknowledged (the executor's row; the event's own row says APPLIED). */
        EFFECT,
        /** An operator's command, done. */
        OPERATOR,
        /** An operator's command the ledger's rules refused. */
        REFUSED
    }

    public AuditEntry {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** The audit row for an event the worker handled (applied, stale or duplicate). */
    public static AuditEntry forEvent(LifecycleEvent event, Outcome outcome, Optional<String> acsUserId,
            Optional<String> reason, Instant now) {
        return new AuditEntry(Optional.of(event.key().id()), Optional.of(event.key().source()),
                Optional.of(event.publisherType()), Optional.of(event.subject()), Optional.of(event.time()),
                outcome, acsUserId, reason, WORKER, now);
    }
}
