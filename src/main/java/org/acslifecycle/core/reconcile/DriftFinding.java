package org.acslifecycle.core.reconcile;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.PersonState;

/**
 * One person on whom the roster and the ledger disagree.
 *
 * @param rosterStatus    what HR says; empty when the roster does not list the person
 * @param rosterLine      the person's line in the roster, 0 when it does not list them
 * @param ledgerState     what the ledger says; empty when it has no record
 * @param ledgerEventTime {@code time} of the last event the ledger applied for the person
 * @param detail          what is wrong, in words
 */
public record DriftFinding(DriftKind kind, String externalId, Optional<RosterStatus> rosterStatus, int rosterLine,
        Optional<PersonState> ledgerState, Optional<Instant> ledgerEventTime, String detail) {

    /** Most critical kind first, then by external id: the order of every report. */
    public static final Comparator<DriftFinding> REPORT_ORDER =
            Comparator.comparing(DriftFinding::kind).thenComparing(DriftFinding::externalId);

    public DriftFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(rosterStatus, "rosterStatus");
        Objects.requireNonNull(ledgerState, "ledgerState");
        Objects.requireNonNull(ledgerEventTime, "ledgerEventTime");
        Objects.requireNonNull(detail, "detail");
    }
}
