package org.acslifecycle.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.junit.jupiter.api.Test;

/** Every drift kind, and what is deliberately not drift, on a roster and ledger built by hand. */
class ReconcileDriftComparisonTest {

    private static final Instant AS_OF = Instant.parse("2026-11-30T06:00:00Z");
    private static final Instant BEFORE = AS_OF.minusSeconds(86_400);

    private final Roster.Builder rows = Roster.builder(RosterFormat.DEFAULT);
    private int line = 1;
    private final List<PersonRecord> ledger = new ArrayList<>();
    private final List<DriftFinding> findings = new ArrayList<>();

    private void roster(String id, String status) {
        rows.add(++line, id, status, null);
    }

    private void roster(String id, String status, String effectiveDate) {
        rows.add(++line, id, status, effectiveDate);
    }

    private void ledger(String id, PersonState state, Instant lastEvent) {
        ledger.add(new PersonRecord(id, state == PersonState.DELETED ? Optional.empty() : Optional.of("acs-" + id),
                state, lastEvent, new EventKey("/hr/test", "e-" + id)));
    }

    private DriftComparison.Summary compare(boolean absentMeansTerminated) {
        DriftComparison comparison = new DriftComparison(rows.build(), AS_OF, absentMeansTerminated, findings::add);
        ledger.forEach(comparison::ledgerPerson);
        return comparison.finish();
    }

    private DriftFinding only(DriftKind kind) {
        List<DriftFinding> ofKind = findings.stream().filter(f -> f.kind() == kind).toList();
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }

    @Test
    void terminatedInHrWithAccessInTheLedgerIsAMissedOffboarding() {
        roster("ann", "terminated");
        roster("bea", "terminated");
        roster("cal", "terminated");
        ledger("ann", PersonState.ACTIVE, BEFORE);
        ledger("bea", PersonState.SUSPENDED, BEFORE);
        ledger("cal", PersonState.DELETED, BEFORE);

        DriftComparison.Summary summary = compare(false);

        assertThat(findings).extracting(DriftFinding::externalId).containsExactlyInAnyOrder("ann", "bea");
        assertThat(findings).allMatch(f -> f.kind() == DriftKind.MISSED_OFFBOARDING);
        DriftFinding ann = findings.stream().filter(f -> f.externalId().equals("ann")).findFirst().orElseThrow();
        assertThat(ann.rosterStatus()).contains(RosterStatus.TERMINATED);
        assertThat(ann.rosterLine()).isEqualTo(2);
        assertThat(ann.ledgerState()).contains(PersonState.ACTIVE);
        assertThat(ann.ledgerEventTime()).contains(BEFORE);
        assertThat(summary.count(DriftKind.MISSED_OFFBOARDING)).isEqualTo(2);
        assertThat(summary.drift()).isEqualTo(2);
    }

    @Test
    void suspendedInHrAndActiveInTheLedgerIsAMissedSuspension() {
        roster("dan", "suspended");
        roster("eve", "suspended");
        roster("fay", "suspended");
        roster("gus", "suspended");
        ledger("dan", PersonState.ACTIVE, BEFORE);
        ledger("eve", PersonState.SUSPENDED, BEFORE);
        ledger("fay", PersonState.DELETED, BEFORE);

        compare(false);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(DriftKind.MISSED_SUSPENSION);
            assertThat(f.externalId()).isEqualTo("dan");
        });
    }

    @Test
    void activeInHrWithoutRecordOrDeletedIsAMissingIdentity() {
        roster("hal", "active");
        roster("ida", "active");
        roster("jo", "active");
        ledger("ida", PersonState.DELETED, BEFORE);
        ledger("jo", PersonState.ACTIVE, BEFORE);

        compare(false);

        assertThat(findings).extracting(DriftFinding::externalId).containsExactlyInAnyOrder("hal", "ida");
        assertThat(findings).allMatch(f -> f.kind() == DriftKind.MISSING_IDENTITY);
        DriftFinding hal = findings.stream().filter(f -> f.externalId().equals("hal")).findFirst().orElseThrow();
        assertThat(hal.ledgerState()).isEmpty();
        assertThat(hal.rosterLine()).isEqualTo(2);
        assertThat(hal.detail()).contains("no record");
    }

    @Test
    void activeInHrAndSuspendedInTheLedgerIsAMissedReinstatement() {
        roster("kim", "active");
        ledger("kim", PersonState.SUSPENDED, BEFORE);

        compare(false);

        assertThat(only(DriftKind.MISSED_REINSTATEMENT).externalId()).isEqualTo("kim");
    }

    @Test
    void peopleWithAccessWhomHrDoesNotListAreUnknownToHrOrLeaversOnRequest() {
        roster("lou", "active");
        ledger("lou", PersonState.ACTIVE, BEFORE);
        ledger("max", PersonState.ACTIVE, BEFORE);
        ledger("ned", PersonState.SUSPENDED, BEFORE);
        ledger("old", PersonState.DELETED, BEFORE);

        compare(false);
        assertThat(findings).extracting(DriftFinding::externalId).containsExactlyInAnyOrder("max", "ned");
        assertThat(findings).allMatch(f -> f.kind() == DriftKind.UNKNOWN_TO_HR && f.rosterLine() == 0
                && f.rosterStatus().isEmpty());
    }

    @Test
    void withAbsentMeansTerminatedTheUnlistedAreMissedOffboardings() {
        roster("lou", "active");
        ledger("lou", PersonState.ACTIVE, BEFORE);
        ledger("max", PersonState.ACTIVE, BEFORE);
        ledger("old", PersonState.DELETED, BEFORE);

        DriftComparison.Summary summary = compare(true);

        assertThat(only(DriftKind.MISSED_OFFBOARDING).externalId()).isEqualTo("max");
        assertThat(only(DriftKind.MISSED_OFFBOARDING).detail()).contains("absent from the roster");
        assertThat(summary.count(DriftKind.UNKNOWN_TO_HR)).isZero();
    }

    @Test
    void incompleteOperationsAreFindingsOfTheirOwn() {
        roster("pat", "active");
        ledger("pat", PersonState.ACTIVE, BEFORE);
        DriftComparison comparison = new DriftComparison(rows.build(), AS_OF, false, findings::add);
        ledger.forEach(comparison::ledgerPerson);
        comparison.incompleteOperation("pat", "CREATE_IDENTITY PENDING: an orphan ACS identity may exist");

        DriftComparison.Summary summary = comparison.finish();

        assertThat(only(DriftKind.INCOMPLETE_OPERATION).detail()).contains("orphan");
        assertThat(summary.count(DriftKind.INCOMPLETE_OPERATION)).isEqualTo(1);
        assertThatThrownBy(() -> comparison.ledgerPerson(ledger.get(0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLedgerEventNewerThanTheRosterIsNotComparedButATieIs() {
        roster("quin", "terminated");
        roster("ray", "terminated");
        roster("sam", "active");
        ledger("quin", PersonState.ACTIVE, AS_OF.plusSeconds(1)); // re-hired after the export was taken
        ledger("ray", PersonState.ACTIVE, AS_OF);
        ledger("sam", PersonState.DELETED, AS_OF.plusNanos(1_000)); // left after the export: not onboarded again
        ledger("tom", PersonState.ACTIVE, AS_OF.plusSeconds(60)); // hired after the export: not unknown to HR

        DriftComparison.Summary summary = compare(true);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.externalId()).isEqualTo("ray");
            assertThat(f.kind()).isEqualTo(DriftKind.MISSED_OFFBOARDING);
        });
        assertThat(summary.newerInLedger()).isEqualTo(3);
    }

    @Test
    void aStatusNotYetEffectiveIsNotComparedAndAPastOneIs() {
        roster("uma", "terminated", "2026-12-31");
        roster("vic", "terminated", "2026-11-01T17:00:00Z");
        roster("wes", "active", "2027-01-04");
        ledger("uma", PersonState.ACTIVE, BEFORE);
        ledger("vic", PersonState.ACTIVE, BEFORE);

        DriftComparison.Summary summary = compare(false);

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.externalId()).isEqualTo("vic"));
        assertThat(summary.notYetEffective()).isEqualTo(2);
    }

    @Test
    void agreementIsNoDriftAndTheSummaryCountsBothSides() {
        roster("xia", "active");
        roster("yan", "suspended");
        roster("zed", "terminated");
        roster("zoe", "terminated");
        ledger("xia", PersonState.ACTIVE, BEFORE);
        ledger("yan", PersonState.SUSPENDED, BEFORE);
        ledger("zed", PersonState.DELETED, BEFORE);

        DriftComparison.Summary summary = compare(false);

        assertThat(findings).isEmpty();
        assertThat(summary.drift()).isZero();
        assertThat(summary.rosterRows()).isEqualTo(4);
        assertThat(summary.ledgerPeople()).isEqualTo(3);
    }

    @Test
    void everyLedgerStateHasAStandingAndDeletedCountsAsAccessCut() {
        for (PersonState state : PersonState.values()) {
            assertThat(DriftComparison.standing(state)).isNotNull();
        }
        assertThat(DriftComparison.standing(PersonState.DELETED)).isEqualTo(DriftComparison.Standing.ACCESS_CUT);
    }

    @Test
    void reportsListTheSecurityCriticalKindFirst() {
        roster("a1", "active");
        roster("z9", "terminated");
        roster("m5", "suspended");
        ledger("z9", PersonState.ACTIVE, BEFORE);
        ledger("m5", PersonState.ACTIVE, BEFORE);
        compare(false);

        assertThat(findings.stream().sorted(DriftFinding.REPORT_ORDER).map(DriftFinding::kind))
                .containsExactly(DriftKind.MISSED_OFFBOARDING, DriftKind.MISSED_SUSPENSION, DriftKind.MISSING_IDENTITY);
    }
}
