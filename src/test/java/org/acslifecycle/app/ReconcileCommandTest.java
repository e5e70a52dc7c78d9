package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.reconcile.CorrectiveEvent;
import org.acslifecycle.core.reconcile.DriftKind;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.emulators.servicebus.InspectedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reconcile} end to end: a stream with some events missing goes through the worker on the emulators, the
 * roster shows the drift, {@code --apply} corrects it through the queue, and a second apply changes nothing.
 */
class ReconcileCommandTest {

    @TempDir
    Path directory;

    private CliOnEmulators cli;
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
    private final Instant asOf = base.plus(Duration.ofDays(1));
    private Path roster;

    @BeforeEach
    void start() throws Exception {
        cli = new CliOnEmulators(directory);
        roster = directory.resolve("roster.csv");
        Files.writeString(roster, String.join("\n",
                "externalId,displayName,status,effectiveDate",
                "ann,Ann,terminated,",       // offboarding published: no drift
                "bob,Bob,terminated,",       // offboarding lost, but re-hired after the export: must stay
                "cy,Cy,terminated,",         // offboarding lost: missed offboarding
                "dan,Dan,suspended,",        // suspension lost: missed suspension
                "eve,Eve,active,",           // in step
                "fay,Fay,active,",           // onboarding lost: missing identity
                "hal,Hal,active,",           // return from leave lost: missed reinstatement
                "jon,Jon,active,",           // left, re-hire lost: missing identity (a new one)
                "ivy,Ivy,terminated,2099-01-01") + "\n"); // leaves later: not yet effective
        // gus is onboarded but not in the roster: unknown to HR.
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private void publish(String id, String type, String subject, Instant time) {
        cli.publish(id, type, subject, time.toString());
    }

    /** The stream HR published, with some of its events lost; applied by a worker that is then stopped. */
    private void applyAStreamWithGaps() {
        Worker worker = cli.startWorker();
        for (String person : List.of("ann", "bob", "cy", "dan", "eve", "gus", "hal", "ivy", "jon")) {
            publish("hire-" + person, "user.onboarded", person, base);
        }
        // Everyone has their identity before some leave (intake runs ahead of ACS work; a leaver whose create had
        // not run yet would simply never get one).
        await().atMost(Duration.ofSeconds(60)).until(() -> cli.journalDone() && List.of("ann", "bob", "cy", "dan",
                "eve", "gus", "hal", "ivy", "jon").stream().allMatch(p -> cli.createdIdentities(p).size() == 1));
        publish("leave-ann", "user.offboarded", "ann", base.plusSeconds(60));
        publish("leave-hal", "user.suspended", "hal", base.plusSeconds(60));
        publish("leave-jon", "user.offboarded", "jon", base.plusSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                state("ann").equals(Optional.of(PersonState.DELETED))
                        && state("jon").equals(Optional.of(PersonState.DELETED))
                        && state("hal").equals(Optional.of(PersonState.SUSPENDED))
                        && List.of("bob", "cy", "dan", "eve", "gus", "ivy").stream()
                                .allMatch(p -> state(p).equals(Optional.of(PersonState.ACTIVE)))
                        && cli.journalDone());
        // Every message settled before the worker stops, so the queue holds only what reconcile sends.
        await().atMost(Duration.ofSeconds(30)).until(() -> queued() == 0
                && cli.emulators.serviceBus().lockedCount(CliOnEmulators.QUEUE) == 0);
        worker.close();
    }

    private Optional<PersonState> state(String person) {
        return cli.record(person).map(PersonRecord::state);
    }

    private Optional<IdentityView> acs(Optional<String> id) {
        return cli.emulators.acs().identities().stream().filter(i -> Optional.of(i.id()).equals(id)).findFirst();
    }

    private int queued() throws Exception {
        return cli.emulators.serviceBus().messageCount(CliOnEmulators.QUEUE);
    }

    @Test
    void driftIsReportedThenCorrectedThroughTheQueueAndASecondApplyHasNoEffect() throws Exception {
        applyAStreamWithGaps();

        // Dry run: counts and people, most critical first; nothing published.
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString()))
                .as(cli.err).isEqualTo(ReconcileCommand.DRIFT_FOUND);
        assertThat(cli.out).contains("drift 7: missed-offboarding=2 missed-suspension=1 missing-identity=2 "
                + "missed-reinstatement=1 unknown-to-hr=1 incomplete-operation=0");
        assertThat(cli.out).contains("not compared: 0 with a ledger event newer than the roster, 1 not yet effective");
        List<String> table = cli.out.lines().dropWhile(l -> !l.startsWith("kind")).skip(1)
                .takeWhile(l -> !l.isBlank()).toList();
        assertThat(table).extracting(l -> l.split("\\s+")[0] + " " + l.split("\\s+")[1]).containsExactly(
                "missed-offboarding bob", "missed-offboarding cy", "missed-suspension dan", "missing-identity fay",
                "missing-identity jon", "missed-reinstatement hal", "unknown-to-hr gus");
        assertThat(cli.out).contains("dry run: nothing published");
        assertThat(queued()).isZero();

        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(), "--json"))
                .isEqualTo(ReconcileCommand.DRIFT_FOUND);
        JsonNode report = new ObjectMapper().readTree(cli.out);
        assertThat(report.get("drift").asInt()).isEqualTo(7);
        assertThat(report.get("counts").get("missed-offboarding").asInt()).isEqualTo(2);
        assertThat(report.get("findings").get(0).get("kind").asText()).isEqualTo("missed-offboarding");
        assertThat(report.get("findings").get(1).get("externalId").asText()).isEqualTo("cy");
        assertThat(report.get("findings").get(1).get("rosterLine").asInt()).isEqualTo(4);
        assertThat(report.get("findings").get(1).get("ledgerState").asText()).isEqualTo("ACTIVE");
        assertThat(report.get("findings").get(1).get("correction").asText()).isEqualTo("user.offboarded");
        assertThat(report.get("applied").asBoolean()).isFalse();

        // HR re-hires bob after the export; that real event is queued before the corrections.
        publish("rehire-bob", "user.onboarded", "bob", asOf.plusSeconds(60));

        String[] apply = {"reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(), "--apply",
                "--operator", "auditor", "--reason", "Q4 access review"};
        assertThat(cli.run(apply)).as(cli.err).isEqualTo(ReconcileCommand.DRIFT_FOUND);
        assertThat(cli.out).contains("applied: 6 corrective event(s) published (source /reconcile, time " + asOf
                + "); 1 finding(s) reported only");
        List<InspectedMessage> sent = cli.emulators.serviceBus().messages(CliOnEmulators.QUEUE);
        assertThat(sent).hasSize(7);
        String cyEventId = CorrectiveEvent.eventId("cy", DriftKind.MISSED_OFFBOARDING, asOf);
        assertThat(sent).extracting(InspectedMessage::messageId).contains(CorrectiveEvent.of(
                new org.acslifecycle.core.reconcile.DriftFinding(DriftKind.MISSED_OFFBOARDING, "cy", Optional.empty(), 0,
                        Optional.empty(), Optional.empty(), ""), asOf, "").orElseThrow().messageId());

        // Applying again before the worker ran: the same MessageIds, dropped by duplicate detection.
        assertThat(cli.run(apply)).isEqualTo(ReconcileCommand.DRIFT_FOUND);
        assertThat(queued()).isEqualTo(7);

        Optional<String> cyIdentity;
        Optional<String> bobIdentity;
        // One message at a time, in queue order, so the re-hire queued before the corrections is handled first: with
        // concurrent intake (no sessions) bob's correction could be handled first and cut him off before the re-hire.
        cli.startWorker(Map.of("servicebus.concurrency", "1"));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                state("cy").equals(Optional.of(PersonState.DELETED))
                        && state("dan").equals(Optional.of(PersonState.SUSPENDED))
                        && state("fay").equals(Optional.of(PersonState.ACTIVE))
                        && cli.record("fay").flatMap(PersonRecord::acsUserId).isPresent()
                        && state("hal").equals(Optional.of(PersonState.ACTIVE))
                        && state("jon").equals(Optional.of(PersonState.ACTIVE))
                        && cli.outcomesOf("bob", CorrectiveEvent.eventId("bob", DriftKind.MISSED_OFFBOARDING, asOf))
                                .contains(AuditEntry.Outcome.APPLIED_LATE)
                        && cli.journalDone());

        // In time order bob left at the roster's time and was re-hired after it: the newer real event keeps him
        // ACTIVE, and the correction, applied late, cuts off the leaver's identity; the re-hire has a new one.
        assertThat(state("bob")).contains(PersonState.ACTIVE);
        bobIdentity = cli.record("bob").flatMap(PersonRecord::acsUserId);
        assertThat(acs(bobIdentity)).hasValueSatisfying(i -> assertThat(i.deletedAt()).isNull());
        Optional<String> bobFirst = cli.createdIdentities("bob").stream().findFirst();
        assertThat(bobFirst).isNotEqualTo(bobIdentity);
        assertThat(acs(bobFirst)).hasValueSatisfying(i -> assertThat(i.deletedAt()).isNotNull());
        // cy's identity is gone from ACS; dan's tokens revoked; fay has a live identity; gus untouched.
        cyIdentity = cli.createdIdentities("cy").stream().findFirst();
        assertThat(acs(cyIdentity)).hasValueSatisfying(i -> assertThat(i.deletedAt()).isNotNull());
        assertThat(acs(cli.record("dan").flatMap(PersonRecord::acsUserId)))
                .hasValueSatisfying(i -> assertThat(i.tokensRevokedAt()).isNotNull());
        assertThat(acs(cli.record("fay").flatMap(PersonRecord::acsUserId)))
                .hasValueSatisfying(i -> assertThat(i.deletedAt()).isNull());
        assertThat(state("gus")).contains(PersonState.ACTIVE);
        // jon, re-hired by the correction, has a new identity; the old one stays deleted (never resurrected).
        Optional<String> jonOld = cli.createdIdentities("jon").stream().findFirst();
        Optional<String> jonNew = cli.record("jon").flatMap(PersonRecord::acsUserId);
        assertThat(jonNew).isPresent().isNotEqualTo(jonOld);
        assertThat(acs(jonOld)).hasValueSatisfying(i -> assertThat(i.deletedAt()).isNotNull());
        assertThat(acs(jonNew)).hasValueSatisfying(i -> assertThat(i.deletedAt()).isNull());

        // One effect per correction, audited by the worker and by the operator with the reason.
        assertThat(cli.outcomesOf("cy", cyEventId)).containsExactly(AuditEntry.Outcome.OPERATOR,
                AuditEntry.Outcome.OPERATOR, AuditEntry.Outcome.APPLIED);
        AuditEntry byOperator = cli.audit("cy").stream().filter(a -> a.outcome() == AuditEntry.Outcome.OPERATOR)
                .findFirst().orElseThrow();
        assertThat(byOperator.actor()).isEqualTo("auditor");
        assertThat(byOperator.reason().orElseThrow()).contains("missed-offboarding").contains("Q4 access review");
        AuditEntry applied = cli.audit("cy").stream().filter(a -> a.outcome() == AuditEntry.Outcome.APPLIED
                && a.eventId().equals(Optional.of(cyEventId))).findFirst().orElseThrow();
        assertThat(applied.eventSource()).contains("/reconcile");
        assertThat(applied.eventTime()).contains(asOf);
        assertThat(applied.reason().orElseThrow()).startsWith("reconciliation against the HR roster");
        long identitiesBefore = cli.emulators.acs().identities().size();

        // After the worker: only the one HR does not know remains; a third apply publishes nothing.
        assertThat(cli.run(apply)).isEqualTo(ReconcileCommand.DRIFT_FOUND);
        assertThat(cli.out).contains("drift 1: missed-offboarding=0 missed-suspension=0 missing-identity=0 "
                + "missed-reinstatement=0 unknown-to-hr=1 incomplete-operation=0");
        assertThat(cli.out).contains("not compared: 1 with a ledger event newer than the roster");
        assertThat(cli.out).contains("applied: 0 corrective event(s)");
        Thread.sleep(500);
        assertThat(cli.emulators.acs().identities()).hasSize((int) identitiesBefore);
        assertThat(cli.outcomesOf("cy", cyEventId)).containsExactly(AuditEntry.Outcome.OPERATOR,
                AuditEntry.Outcome.OPERATOR, AuditEntry.Outcome.APPLIED);

        // With gus taken as a leaver, and a roster that agrees on everyone else: exit 0 once corrected.
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(), "--apply",
                "--absent-means-terminated", "--reason", "gus left")).isEqualTo(ReconcileCommand.DRIFT_FOUND);
        await().atMost(Duration.ofSeconds(30)).until(() -> state("gus").equals(Optional.of(PersonState.DELETED)));
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(),
                "--absent-means-terminated")).as(cli.out).isZero();
        assertThat(cli.out).contains("drift 0:");
    }

    @Test
    void anOperationTheLedgerNeverSawFinishIsReportedAsAPossibleOrphan() throws Exception {
        Files.writeString(roster, "externalId,status\nzoe,active\n");
        // A create whose result never reached the ledger: the intent is durable at once, the unit never commits.
        try (var ledger = org.acslifecycle.ledger.JdbcLedger.open(cli.settings.ledger(), java.time.Clock.systemUTC());
                var work = ledger.open("zoe")) {
            work.recordIntent(new org.acslifecycle.core.EventKey("/hr/test", "hire-zoe"),
                    org.acslifecycle.core.Intent.Action.CREATE_IDENTITY, Optional.empty());
        }

        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(), "--apply",
                "--reason", "check")).as(cli.err).isEqualTo(ReconcileCommand.DRIFT_FOUND);

        assertThat(cli.out).contains("missing-identity=1").contains("incomplete-operation=1");
        assertThat(cli.out).containsPattern("incomplete-operation +zoe .*CREATE_IDENTITY PENDING .*/hr/test#hire-zoe"
                + ": an orphan ACS identity may exist");
        // Reported, not corrected: only the missing identity's onboarding is sent.
        assertThat(cli.out).contains("applied: 1 corrective event(s)").contains("1 finding(s) reported only");
        assertThat(queued()).isEqualTo(1);
    }

    @Test
    void anInvalidRosterIsRefusedNamingLineAndColumnAndNothingIsPublished() throws Exception {
        Files.writeString(roster, "externalId,status\nann,active\nbob,retired\n");
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(), "--apply",
                "--reason", "r")).isEqualTo(ReconcileCommand.INVALID_ROSTER);
        assertThat(cli.err).contains("line 3, column 'status': unknown status 'retired'")
                .contains("nothing was compared or published");

        Files.writeString(roster, "externalId,status\nann,active\nann,terminated\n");
        assertThat(cli.run("reconcile", "--roster", roster.toString())).isEqualTo(ReconcileCommand.INVALID_ROSTER);
        assertThat(cli.err).contains("line 3, column 'externalId': duplicate external id 'ann' (first on line 2)");

        Files.writeString(roster, "id,status\nann,active\n");
        assertThat(cli.run("reconcile", "--roster", roster.toString())).isEqualTo(ReconcileCommand.INVALID_ROSTER);
        assertThat(cli.err).contains("line 1, column 'externalId': missing column");

        assertThat(cli.run("reconcile", "--roster", directory.resolve("nope.csv").toString()))
                .isEqualTo(ReconcileCommand.UNREADABLE_ROSTER);
        assertThat(cli.err).contains("no such file");
        assertThat(queued()).isZero();
    }

    @Test
    void applyNeedsAReasonAndTheExportTimeAndAsOfMustBeRfc3339() throws Exception {
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", asOf.toString(), "--apply"))
                .isEqualTo(2);
        assertThat(cli.err).contains("--apply needs --reason");
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--apply", "--reason", "r")).isEqualTo(2);
        assertThat(cli.err).contains("--apply needs --as-of");
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--as-of", "yesterday")).isEqualTo(2);
        assertThat(cli.err).contains("RFC 3339");
        assertThat(queued()).isZero();
    }

    @Test
    void aDryRunWithoutAsOfUsesTheFilesTimeAndAnEmptyLedgerAgreesWithAnEmptyRoster() throws Exception {
        Files.writeString(roster, "externalId,status\n");
        assertThat(cli.run("reconcile", "--roster", roster.toString())).as(cli.err).isZero();
        assertThat(cli.out).contains("(the file's last-modified time)").contains("drift 0:");
        Files.writeString(roster, "externalId,status\nzed,active\n");
        assertThat(cli.run("reconcile", "--roster", roster.toString(), "--json")).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(cli.out).get("asOfFrom").asText()).isEqualTo("file last-modified time");
        assertThat(Map.of()).isEmpty();
    }
}
