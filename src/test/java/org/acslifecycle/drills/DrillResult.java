package org.acslifecycle.drills;

import java.time.Duration;

/**
 * One row of the drills' table.
 *
 * @param load             what was sent, e.g. {@code "2 310 events, 350 people"}
 * @param faults           what was done to the parts, e.g. {@code "10 SIGKILLs"}; {@code "-"} for none
 * @param lost             published events the ledger never handled
 * @param duplicated       double effects: a second live identity for a person, an identity nobody can account for,
 *                         an ACS operation done twice
 * @param goodDeadLettered good events that ended on the dead-letter queue
 * @param reason           why it failed; empty when it passed
 */
public record DrillResult(String drill, String load, String faults, long lost, long duplicated, long goodDeadLettered,
        Duration wallTime, boolean passed, String reason) {

    /** The row for a drill that ran to its end: passed when the verdict has no finding. */
    public static DrillResult of(String drill, String load, String faults, OracleVerdict verdict, Duration wallTime) {
        return new DrillResult(drill, load, faults, verdict.lost(), verdict.duplicated(), verdict.goodDeadLettered(),
                wallTime, verdict.passed(), verdict.passed() ? "" : verdict.summary());
    }

    /** As {@link #of(String, String, String, OracleVerdict, Duration)}; the runner fills in the wall time. */
    public static DrillResult of(String drill, String load, String faults, OracleVerdict verdict) {
        return of(drill, load, faults, verdict, Duration.ZERO);
    }

    /** The same row with the wall time the runner measured (rig start and stop included). */
    DrillResult withWallTime(Duration measured) {
        return new DrillResult(drill, load, faults, lost, duplicated, goodDeadLettered, measured, passed, reason);
    }

    /** The row for a drill that threw: failed, with the exception as the reason. */
    public static DrillResult crashed(String drill, Throwable failure, Duration wallTime) {
        String message = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        return new DrillResult(drill, "?", "?", -1, -1, -1, wallTime, false,
                failure.getClass().getSimpleName() + message);
    }
}
