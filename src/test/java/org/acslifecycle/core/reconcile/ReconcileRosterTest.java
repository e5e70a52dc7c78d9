package org.acslifecycle.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The compact roster: every value checked, rows found by id, duplicates refused naming both lines. */
class ReconcileRosterTest {

    private final Roster.Builder builder = Roster.builder(RosterFormat.DEFAULT);

    @Test
    void rowsAreFoundByIdWithStatusLineAndEffectiveDate() {
        builder.add(2, "zoe", "Terminated ", "2026-12-31").add(3, " amy ", "active", "").add(4, "max", "SUSPENDED", null)
                .add(5, "bo", "active", "2026-11-01T17:00:00+01:00");
        Roster roster = builder.build();

        assertThat(roster.size()).isEqualTo(4);
        int zoe = roster.indexOf("zoe");
        assertThat(roster.status(zoe)).isEqualTo(RosterStatus.TERMINATED);
        assertThat(roster.line(zoe)).isEqualTo(2);
        assertThat(roster.effective(zoe)).contains(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(roster.externalId(roster.indexOf("amy"))).isEqualTo("amy");
        assertThat(roster.effective(roster.indexOf("amy"))).isEmpty();
        assertThat(roster.status(roster.indexOf("max"))).isEqualTo(RosterStatus.SUSPENDED);
        assertThat(roster.effective(roster.indexOf("bo"))).contains(Instant.parse("2026-11-01T16:00:00Z"));
        assertThat(roster.indexOf("nobody")).isEqualTo(-1);
    }

    @Test
    void idsThatArePrefixesOfOthersOrUsePunctuationAreToldApart() {
        builder.add(2, "anna", "active", null).add(3, "ann", "terminated", null).add(4, "ann.b@x:1+2", "suspended", null)
                .add(5, "Ann", "active", null).add(6, "an", "active", null);
        Roster roster = builder.build();

        assertThat(roster.line(roster.indexOf("ann"))).isEqualTo(3);
        assertThat(roster.line(roster.indexOf("anna"))).isEqualTo(2);
        assertThat(roster.line(roster.indexOf("ann.b@x:1+2"))).isEqualTo(4);
        assertThat(roster.line(roster.indexOf("Ann"))).isEqualTo(5);
        assertThat(roster.line(roster.indexOf("an"))).isEqualTo(6);
        assertThat(roster.indexOf("a")).isEqualTo(-1);
        assertThat(roster.indexOf("annb")).isEqualTo(-1);
        assertThat(roster.indexOf("ännа")).as("not ASCII: never in a roster").isEqualTo(-1);
        assertThat(roster.indexOf("")).isEqualTo(-1);
    }

    @Test
    void anEmptyRosterFindsNobody() {
        Roster roster = builder.build();
        assertThat(roster.size()).isZero();
        assertThat(roster.indexOf("ann")).isEqualTo(-1);
    }

    @Test
    void aDuplicateIdNamesItsLineTheColumnAndTheFirstLine() {
        builder.add(2, "ann", "active", null).add(3, "bob", "active", null).add(4, "cy", "active", null)
                .add(5, "bob", "terminated", null).add(6, "ann", "terminated", null);

        assertThatThrownBy(builder::build).isInstanceOfSatisfying(RosterProblem.class, problem -> {
            assertThat(problem.line()).isEqualTo(5);
            assertThat(problem.column()).contains("externalId");
            assertThat(problem).hasMessage("line 5, column 'externalId': duplicate external id 'bob' (first on line 3)");
        });
    }

    @Test
    void anUnknownStatusNamesTheValueAndTheKnownOnes() {
        assertThatThrownBy(() -> builder.add(7, "ann", "retired", null)).isInstanceOfSatisfying(RosterProblem.class,
                problem -> assertThat(problem).hasMessage("line 7, column 'status': unknown status 'retired' (known: "
                        + "active, suspended, terminated)"));
    }

    @Test
    void anInvalidOrEmptyIdIsRefused() {
        assertThatThrownBy(() -> builder.add(3, "ann smith", "active", null)).isInstanceOfSatisfying(RosterProblem.class,
                problem -> assertThat(problem).hasMessageStartingWith("line 3, column 'externalId': invalid external id "
                        + "'ann smith'"));
        assertThatThrownBy(() -> builder.add(4, "x".repeat(257), "active", null)).hasMessageContaining("line 4")
                .hasMessageContaining("invalid external id");
        assertThatThrownBy(() -> builder.add(5, "  ", "active", null))
                .hasMessage("line 5, column 'externalId': the external id is empty");
        assertThatThrownBy(() -> builder.add(6, "tab\there", "active", null)).hasMessageContaining("'tab?here'");
    }

    @Test
    void anInvalidEffectiveDateIsRefused() {
        assertThatThrownBy(() -> builder.add(9, "ann", "active", "31/12/2026")).isInstanceOfSatisfying(
                RosterProblem.class, problem -> {
                    assertThat(problem.column()).contains("effectiveDate");
                    assertThat(problem).hasMessageStartingWith("line 9, column 'effectiveDate': invalid date '31/12/2026'");
                });
        assertThatThrownBy(() -> builder.add(9, "ann", "active", "2026-02-30")).hasMessageContaining("invalid date");
        assertThatThrownBy(() -> builder.add(9, "ann", "active", "2026-11-01T17:00:00")).hasMessageContaining("invalid date");
    }

    @Test
    void configuredWordsMapToStatusesIgnoringCase() {
        RosterFormat hr = new RosterFormat("employeeId", "employmentStatus", "since", Map.of(
                RosterStatus.ACTIVE, List.of("A", "Active"), RosterStatus.SUSPENDED, List.of("L", "Leave"),
                RosterStatus.TERMINATED, List.of("T", "Retired")));
        assertThat(hr.status("retired")).contains(RosterStatus.TERMINATED);
        assertThat(hr.status(" l ")).contains(RosterStatus.SUSPENDED);
        assertThat(hr.status("terminated")).isEmpty();
        assertThatThrownBy(() -> Roster.builder(hr).add(2, "ann", "terminated", null))
                .hasMessage("line 2, column 'employmentStatus': unknown status 'terminated' (known: A, Active, L, "
                        + "Leave, T, Retired)");
        assertThatThrownBy(() -> new RosterFormat("a", "b", "c", Map.of(RosterStatus.ACTIVE, List.of("x"),
                RosterStatus.SUSPENDED, List.of("X"), RosterStatus.TERMINATED, List.of("t"))))
                .hasMessageContaining("'X' means both");
        assertThat(Optional.of(hr.knownWords())).isPresent();
    }

    @Test
    void aLargeRosterSortsAndFindsEveryRow() {
        for (int i = 0; i < 50_000; i++) {
            builder.add(i + 2, "u" + ((i * 7919L) % 50_000), i % 2 == 0 ? "active" : "terminated", null);
        }
        Roster roster = builder.build();
        for (int i = 0; i < 50_000; i += 997) {
            assertThat(roster.indexOf("u" + i)).isNotNegative();
        }
        for (int i = 1; i < roster.size(); i++) {
            assertThat(roster.externalId(i - 1).compareTo(roster.externalId(i))).isNegative();
        }
    }
}
