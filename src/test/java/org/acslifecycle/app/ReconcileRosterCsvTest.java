package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigException;
import org.acslifecycle.core.reconcile.Roster;
import org.acslifecycle.core.reconcile.RosterFormat;
import org.acslifecycle.core.reconcile.RosterProblem;
import org.acslifecycle.core.reconcile.RosterStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the roster CSV: every validation error names its line and, where there is one, its column. */
class ReconcileRosterCsvTest {

    @TempDir
    Path directory;

    private Path file(String content) throws Exception {
        Path file = directory.resolve("roster.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private Roster read(String content) throws Exception {
        return RosterCsv.read(file(content), RosterFormat.DEFAULT);
    }

    private RosterProblem problem(String content) {
        try {
            read(content);
        } catch (RosterProblem problem) {
            return problem;
        } catch (Exception other) {
            throw new AssertionError("expected a RosterProblem, got " + other, other);
        }
        throw new AssertionError("expected a RosterProblem for:\n" + content);
    }

    @Test
    void aWellFormedExportIsReadWithLineNumbersQuotesExtraColumnsAndABom() throws Exception {
        Roster roster = read("\uFEFFname,externalId,status,effectiveDate\r\n"
                + "\"Smith, Ann\",ann,active,\r\n"
                + "\n"
                + "\"Bob \"\"the\"\" Builder\",bob, terminated ,2026-11-30\r\n"
                + "\"two\nlines\",cy,suspended,\n");

        assertThat(roster.size()).isEqualTo(3);
        assertThat(roster.line(roster.indexOf("ann"))).isEqualTo(2);
        assertThat(roster.line(roster.indexOf("bob"))).isEqualTo(4);
        assertThat(roster.status(roster.indexOf("bob"))).isEqualTo(RosterStatus.TERMINATED);
        assertThat(roster.effective(roster.indexOf("bob"))).isPresent();
        assertThat(roster.status(roster.indexOf("cy"))).isEqualTo(RosterStatus.SUSPENDED);
    }

    @Test
    void theEffectiveDateColumnIsOptional() throws Exception {
        Roster roster = read("externalId,status\nann,active\n");
        assertThat(roster.effective(roster.indexOf("ann"))).isEmpty();
    }

    @Test
    void aMissingColumnNamesTheColumnAndWhatTheHeaderHas() {
        RosterProblem problem = problem("externalId,state\nann,active\n");
        assertThat(problem).hasMessage("line 1, column 'status': missing column (the header has: externalId, state)");
    }

    @Test
    void anEmptyFileOrADuplicateHeaderIsRefusedOnLineOne() {
        assertThat(problem("")).hasMessageStartingWith("line 1: the file is empty");
        assertThat(problem("externalId,status,status\nann,active,active\n")).hasMessageStartingWith("line 1: bad header");
    }

    @Test
    void anUnknownStatusNamesLineAndColumn() {
        assertThat(problem("externalId,status\nann,active\nbob,retired\n"))
                .hasMessage("line 3, column 'status': unknown status 'retired' (known: active, suspended, terminated)");
    }

    @Test
    void anInvalidIdNamesLineAndColumn() {
        assertThat(problem("externalId,status\nann,active\n\"bob smith\",active\n"))
                .hasMessageStartingWith("line 3, column 'externalId': invalid external id 'bob smith'");
        assertThat(problem("externalId,status\n,active\n"))
                .hasMessage("line 2, column 'externalId': the external id is empty");
    }

    @Test
    void aDuplicateIdNamesBothLines() {
        assertThat(problem("externalId,status\nann,active\nbob,active\nann,terminated\n"))
                .hasMessage("line 4, column 'externalId': duplicate external id 'ann' (first on line 2)");
    }

    @Test
    void aBadEffectiveDateNamesLineAndColumn() {
        assertThat(problem("externalId,status,effectiveDate\nann,active,tomorrow\n"))
                .hasMessageStartingWith("line 2, column 'effectiveDate': invalid date 'tomorrow'");
    }

    @Test
    void aRecordWithTheWrongNumberOfFieldsIsRefused() {
        assertThat(problem("externalId,status\nann,active\nbob\n")).hasMessage("line 3: has 1 field(s), the header 2");
        assertThat(problem("externalId,status\nann,active,extra\n")).hasMessage("line 2: has 3 field(s), the header 2");
    }

    @Test
    void brokenQuotingIsRefusedAsNotCsv() {
        RosterProblem problem = problem("externalId,status\nann,active\n\"bob,active\n");
        assertThat(problem).hasMessage("line 3: not valid CSV: EOF reached before encapsulated token finished");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() throws Exception {
        Path file = directory.resolve("latin1.csv");
        Files.write(file, "externalId,status\nren\u00e9,active\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> RosterCsv.read(file, RosterFormat.DEFAULT)).isInstanceOf(RosterProblem.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void aFileThatCannotBeReadIsUnreadableNotInvalid() {
        assertThatThrownBy(() -> RosterCsv.read(directory.resolve("missing.csv"), RosterFormat.DEFAULT))
                .isInstanceOf(RosterCsv.Unreadable.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> RosterCsv.read(directory, RosterFormat.DEFAULT))
                .isInstanceOf(RosterCsv.Unreadable.class);
    }

    @Test
    void columnsAndStatusWordsComeFromTheConfiguration() throws Exception {
        Config config = Config.of(Map.of("reconcile.roster.external-id-column", "employeeId",
                "reconcile.roster.status-column", "employmentStatus",
                "reconcile.roster.terminated-values", "Terminated, Retired",
                "reconcile.roster.suspended-values", "Leave"), Map.of());
        RosterFormat format = ReconcileSettings.rosterFormat(config);
        Roster roster = RosterCsv.read(file("employeeId,employmentStatus\nann,retired\nbob,ACTIVE\ncy,leave\n"), format);

        assertThat(roster.status(roster.indexOf("ann"))).isEqualTo(RosterStatus.TERMINATED);
        assertThat(roster.status(roster.indexOf("bob"))).isEqualTo(RosterStatus.ACTIVE);
        assertThat(roster.status(roster.indexOf("cy"))).isEqualTo(RosterStatus.SUSPENDED);
        assertThat(format.effectiveDateColumn()).isEqualTo("effectiveDate");
    }

    @Test
    void aBadStatusConfigurationNamesTheKey() {
        Config config = Config.of(Map.of("reconcile.roster.suspended-values", "leave,active"), Map.of());
        assertThatThrownBy(() -> ReconcileSettings.rosterFormat(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'reconcile.roster.suspended-values'")
                .hasMessageContaining("reconcile.roster.active-values has too");
        Config blank = Config.of(Map.of("reconcile.roster.terminated-values", " , "), Map.of());
        assertThatThrownBy(() -> ReconcileSettings.rosterFormat(blank)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'reconcile.roster.terminated-values'");
    }
}
