package org.acslifecycle.core.reconcile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;

/**
 * Compares an HR roster with the ledger, streaming: feed it every ledger person once ({@link #ledgerPerson}), then
 * every incomplete operation, then {@link #finish()}. It holds the compact {@link Roster} and one bit per row,
 * never the ledger; each finding goes to the sink as it is found.
 *
 * <p>The roster speaks for its as-of time only. A person whose last applied event is newer than that is not
 * compared (the ledger knows something the export could not), nor is a row whose effective date is still to
 * come; both are counted. Ties are compared: a corrective event at the same time is applied, not stale.
 */
public final class DriftComparison {

    /** What a ledger state means for comparison. A new state is one line in {@link #standing}. */
    enum Standing {
        /** Holds an identity and may get tokens. */
        ACTIVE,
        /** Identity kept, tokens revoked and refused. */
        SUSPENDED,
        /** Access cut: deleted, or (from OFFBOARDED) deletion pending. Needs a new identity to work again. */
        ACCESS_CUT
    }

    static Standing standing(PersonState state) {
        return switch (state) {
            case ACTIVE -> Standing.ACTIVE;
            case SUSPENDED -> Standing.SUSPENDED;
            case OFFBOARDED, DELETED -> Standing.ACCESS_CUT;
        };
    }

    /** What the comparison saw besides the findings. */
    public record Summary(int rosterRows, long ledgerPeople, Map<DriftKind, Integer> counts, long newerInLedger,
            long notYetEffective) {

        public Summary {
            counts = Map.copyOf(counts);
        }

        public int count(DriftKind kind) {
            return counts.getOrDefault(kind, 0);
        }

        public int drift() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Roster roster;
    private final Instant asOf;
    private final boolean absentMeansTerminated;
    private final Consumer<DriftFinding> sink;
    private final BitSet seen;
    private final Map<DriftKind, Integer> counts = new EnumMap<>(DriftKind.class);
    private long ledgerPeople;
    private long newerInLedger;
    private long notYetEffective;
    private boolean finished;

    /**
     * @param asOf                  when the roster was true (the export's time)
     * @param absentMeansTerminated treat people with access whom the roster does not list as leavers
     */
    public DriftComparison(Roster roster, Instant asOf, boolean absentMeansTerminated, Consumer<DriftFinding> sink) {
        this.roster = Objects.requireNonNull(roster, "roster");
        // The ledger keeps microseconds; so must the fence, or a tie would look like "newer in the ledger".
        this.asOf = asOf.truncatedTo(ChronoUnit.MICROS);
        this.absentMeansTerminated = absentMeansTerminated;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.seen = new BitSet(roster.size());
    }

    /** One person of the ledger; each at most once, in any order. */
    public void ledgerPerson(PersonRecord person) {
        requireOpen();
        ledgerPeople++;
        int row = roster.indexOf(person.externalId());
        if (row >= 0) {
            seen.set(row);
        }
        if (person.lastEventTime().isAfter(asOf)) {
            newerInLedger++;
            return;
        }
        Standing standing = standing(person.state());
        if (row < 0) {
            absent(person, standing);
            return;
        }
        if (roster.isNotYetEffective(row, asOf)) {
            notYetEffective++;
            return;
        }
        RosterStatus status = roster.status(row);
        switch (status) {
            case TERMINATED -> {
                if (standing != Standing.ACCESS_CUT) {
                    found(DriftKind.MISSED_OFFBOARDING, person, row, "terminated in HR, "
                            + person.state() + " in the ledger");
                }
            }
            case SUSPENDED -> {
                if (standing == Standing.ACTIVE) {
                    found(DriftKind.MISSED_SUSPENSION, person, row, "suspended in HR, ACTIVE in the ledger");
                }
            }
            case ACTIVE -> {
                if (standing == Standing.ACCESS_CUT) {
                    found(DriftKind.MISSING_IDENTITY, person, row, "active in HR, " + person.state() + " in the ledger");
                } else if (standing == Standing.SUSPENDED) {
                    found(DriftKind.MISSED_REINSTATEMENT, person, row, "active in HR, SUSPENDED in the ledger");
                }
            }
        }
    }

    private void absent(PersonRecord person, Standing standing) {
        if (standing == Standing.ACCESS_CUT) {
            return;
        }
        if (absentMeansTerminated) {
            found(DriftKind.MISSED_OFFBOARDING, person, -1, "absent from the roster (taken as terminated), "
                    + person.state() + " in the ledger");
        } else {
            found(DriftKind.UNKNOWN_TO_HR, person, -1, "absent from the roster, " + person.state() + " in the ledger");
        }
    }

    /** An operation the ledger never saw finish, e.g. an ACS call whose result was not recorded. */
    public void incompleteOperation(String externalId, String what) {
        requireOpen();
        emit(new DriftFinding(DriftKind.INCOMPLETE_OPERATION, externalId, Optional.empty(), 0, Optional.empty(),
                Optional.empty(), what));
    }

    /** Reports the roster's active people the ledger has never heard of, and returns the summary. */
    public Summary finish() {
        requireOpen();
        finished = true;
        for (int row = seen.nextClearBit(0); row < roster.size(); row = seen.nextClearBit(row + 1)) {
            if (roster.isNotYetEffective(row, asOf)) {
                notYetEffective++;
            } else if (roster.status(row) == RosterStatus.ACTIVE) {
                emit(new DriftFinding(DriftKind.MISSING_IDENTITY, roster.externalId(row),
                        Optional.of(RosterStatus.ACTIVE), roster.line(row), Optional.empty(), Optional.empty(),
                        "active in HR, no record in the ledger"));
            }
        }
        return new Summary(roster.size(), ledgerPeople, counts, newerInLedger, notYetEffective);
    }

    private void found(DriftKind kind, PersonRecord person, int row, String detail) {
        emit(new DriftFinding(kind, person.externalId(), row < 0 ? Optional.empty() : Optional.of(roster.status(row)),
                row < 0 ? 0 : roster.line(row), Optional.of(person.state()), Optional.of(person.lastEventTime()),
                detail));
    }

    private void emit(DriftFinding finding) {
        counts.merge(finding.kind(), 1, Integer::sum);
        sink.accept(finding);
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("the comparison is finished");
        }
    }
}
