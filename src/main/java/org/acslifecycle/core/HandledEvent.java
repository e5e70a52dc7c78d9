package org.acslifecycle.core;

import java.util.Optional;

/**
 * The handled-event log's entry for one event: how it was handled, and which outcome event it gave, so
 * that a redelivery can send the same outcome again (duplicate detection drops it if it had gone out).
 */
public record HandledEvent(AuditEntry.Outcome outcome, Optional<OutcomeType> outcomeType) {}
