package org.acslifecycle.core.reconcile;

import java.util.Optional;
import org.acslifecycle.core.EventType;

/**
 * The kinds of disagreement between the HR roster and the ledger, most security-critical first (reports list them
 * in this order). Each says which lifecycle event, if any, corrects it.
 */
public enum DriftKind {
    /** Terminated in HR (or absent, with {@code --absent-means-terminated}), yet access is not cut. */
    MISSED_OFFBOARDING("missed-offboarding", EventType.OFFBOARDED),
    /** Suspended in HR, yet ACTIVE in the ledger: tokens may still be issued. */
    MISSED_SUSPENSION("missed-suspension", EventType.SUSPENDED),
    /** Active in HR, yet the person has no identity: no record, or deleted (or offboarded). */
    MISSING_IDENTITY("missing-identity", EventType.ONBOARDED),
    /** Active in HR, yet SUSPENDED in the ledger: the return from leave was lost. */
    MISSED_REINSTATEMENT("missed-reinstatement", EventType.REINSTATED),
    /** Holds an identity in the ledger, yet HR does not list them: reported, not corrected. */
    UNKNOWN_TO_HR("unknown-to-hr", null),
    /** An ACS operation the ledger never saw finish: an orphan identity may exist. For an operator to look at. */
    INCOMPLETE_OPERATION("incomplete-operation", null);

    private final String label;
    private final EventType correction;

    DriftKind(String label, EventType correction) {
        this.label = label;
        this.correction = correction;
    }

    /** The kind's name in reports, e.g. {@code missed-offboarding}. */
    public String label() {
        return label;
    }

    /** The lifecycle event a corrective run publishes for this kind, if any. */
    public Optional<EventType> correction() {
        return Optional.ofNullable(correction);
    }
}
