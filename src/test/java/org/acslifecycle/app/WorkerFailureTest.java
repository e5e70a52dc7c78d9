package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.acslifecycle.core.JournalService;
import java.util.stream.IntStream;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.FaultPlan;
import org.acslifecycle.emulators.acs.Operation;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §5 end to end: transient ACS failures are retried by the executor, systemic ones open its circuit while
 * intake goes on recording, a permanent one marks the operation failed for an operator; no good event is lost.
 */
class WorkerFailureTest {

    @TempDir
    Path directory;

    private LocalWorker local;
    private final Instant base = Instant.now().minusSeconds(3600);

    private void start(AcsEmulatorConfig acs) {
        start(acs, Map.of());
    }

    private void start(AcsEmulatorConfig acs, Map<String, String> more) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                "retry.delays", "PT1S,PT1S,PT2S,PT2S,PT4S,PT4S",
                "retry.probe-every", "PT1S"));
        overrides.putAll(more);
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), acs, overrides);
    }

    @AfterEach
    void stop() {
        if (local != null) {
            local.close();
        }
    }

    private void publish(String id, String type, String subject, int minute) {
        local.publisher.publish(EventPublisher.cloudEvent(id, "/hr/test", type, subject,
                base.plusSeconds(60L * minute).toString(), null));
    }

    private Optional<PersonState> state(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record).map(PersonRecord::state);
    }

    private int deadLetters() throws Exception {
        return local.emulators.serviceBus().deadLetters("lifecycle-events").size();
    }

    @Test
    void withAcsAnsweringThirtyPercent429And503EveryGoodEventIsAppliedAndNoneDeadLettered() throws Exception {
        start(AcsEmulatorConfig.defaults().withFaults(FaultPlan.none().withErrorShares(0.15, 0, 0.15).withRetryAfterSeconds(1)));
        int people = 30;
        IntStream.range(0, people).forEach(i -> publish("on-" + i, "user.onboarded", "p" + i, 0));
        IntStream.range(0, people / 2).forEach(i -> publish("sus-" + i, "user.suspended", "p" + i, 5));

        await().atMost(Duration.ofSeconds(120)).until(() -> IntStream.range(0, people).allMatch(i ->
                state("p" + i).equals(Optional.of(i < people / 2 ? PersonState.SUSPENDED : PersonState.ACTIVE)))
                && local.journalDone());

        assertThat(deadLetters()).isZero();
        assertThat(local.worker.ledger().operations(Set.of(org.acslifecycle.core.Operation.Status.FAILED), 10))
                .as("no operation failed for good").isEmpty();
        var calls = local.emulators.acs().callCounts();
        assertThat(calls.count(Operation.CREATE_IDENTITY, 429) + calls.count(Operation.CREATE_IDENTITY, 503)
                + calls.count(Operation.REVOKE_TOKENS, 429) + calls.count(Operation.REVOKE_TOKENS, 503))
                .as("the faults really happened").isPositive();
        // Every identity in ACS is exactly one person's in the ledger, every ACTIVE person has one, and no suspended
        // person's identity holds a token: it was revoked, or made by a create that was running when the
        // suspension was recorded (a new identity has no tokens, and none is issued to a SUSPENDED person).
        var ledgerIdentities = IntStream.range(0, people).mapToObj(i -> record("p" + i))
                .map(r -> r.flatMap(PersonRecord::acsUserId)).filter(Optional::isPresent).map(Optional::get).toList();
        assertThat(local.emulators.acs().identities()).extracting(i -> i.id())
                .containsExactlyInAnyOrderElementsOf(ledgerIdentities);
        assertThat(IntStream.range(people / 2, people).mapToObj(i -> record("p" + i).flatMap(PersonRecord::acsUserId)))
                .allMatch(Optional::isPresent);
        IntStream.range(0, people / 2).forEach(i -> record("p" + i).flatMap(PersonRecord::acsUserId).ifPresent(id ->
                assertThat(local.emulators.acs().identities().stream().filter(view -> view.id().equals(id)).findFirst()
                        .orElseThrow()).as("p" + i + " holds no token")
                        .matches(view -> view.tokensRevokedAt() != null || view.tokensIssued() == 0)));
    }

    private Optional<PersonRecord> record(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record);
    }

    @Test
    void whenAcsRefusesOurKeyTheCircuitOpensIntakeGoesOnAndFixingTheKeyDoesTheWork() throws Exception {
        start(AcsEmulatorConfig.defaults());
        local.emulators.acs().faults().setWrongKeyMode(true);
        IntStream.range(0, 5).forEach(i -> publish("k-" + i, "user.onboarded", "k" + i, 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> ready() == 503);
        assertThat(local.worker.acsWorkHeldBecause()).hasValueSatisfying(why -> assertThat(why).contains("401"));
        await("intake goes on recording while ACS work is held").atMost(Duration.ofSeconds(30))
                .until(() -> IntStream.range(0, 5).allMatch(i -> state("k" + i).equals(Optional.of(PersonState.ACTIVE))));
        assertThat(local.worker.intake().pausedBecause()).isEmpty();
        Thread.sleep(2000); // held: probes keep failing, no identity is made
        assertThat(deadLetters()).isZero();
        assertThat(local.emulators.acs().identities()).isEmpty();

        local.emulators.acs().faults().setWrongKeyMode(false);

        await().atMost(Duration.ofSeconds(60)).until(() -> local.journalDone()
                && local.emulators.acs().identities().size() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> ready() == 200);
        assertThat(deadLetters()).isZero();
        assertThat(IntStream.range(0, 5).mapToObj(i -> record("k" + i).flatMap(PersonRecord::acsUserId)))
                .allMatch(Optional::isPresent);
    }

    @Test
    void anAcsOutageOpensTheCircuitIntakeGoesOnAndTheWorkResumesAloneWhenAcsIsBack() throws Exception {
        start(AcsEmulatorConfig.defaults());
        local.emulators.acs().faults().startOutage(Duration.ofSeconds(10));
        IntStream.range(0, 8).forEach(i -> publish("out-" + i, "user.onboarded", "o" + i, 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.acsWorkHeldBecause().isPresent());
        assertThat(local.worker.acsWorkHeldBecause().orElseThrow()).contains("ACS unavailable");
        await("intake goes on recording during the outage").atMost(Duration.ofSeconds(30))
                .until(() -> IntStream.range(0, 8).allMatch(i -> state("o" + i).equals(Optional.of(PersonState.ACTIVE))));

        await().atMost(Duration.ofSeconds(60)).until(() -> local.journalDone()
                && local.emulators.acs().identities().size() == 8);
        assertThat(local.worker.acsWorkHeldBecause()).isEmpty();
        assertThat(deadLetters()).isZero();
    }

    @Test
    void anOperationAcsRefusesIsMarkedFailedAndRetriedByAnOperatorWhileOneFailingTransientlyKeepsBeingRetried()
            throws Exception {
        // Outage detection off: here one operation fails again and again, which would otherwise look like an outage.
        start(AcsEmulatorConfig.defaults(), Map.of("retry.outage-after", "1000", "executor.max-backoff", "PT1S"));
        local.emulators.acs().faults().failNext(1, 400, 0);
        publish("bad-1", "user.onboarded", "refused", 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> !failed().isEmpty());
        var refused = failed().get(0);
        assertThat(refused.externalId()).isEqualTo("refused");
        assertThat(refused.lastError()).hasValueSatisfying(error -> assertThat(error).contains("ACS answered 400"));
        assertThat(deadLetters()).as("the event was good: it is recorded, not dead-lettered").isZero();

        var retried = local.worker.journal().retry(new JournalService.Request(refused.id(), "ops-jane", Optional.of("fixed")));
        assertThat(retried).isInstanceOf(JournalService.Result.Done.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> record("refused").flatMap(PersonRecord::acsUserId).isPresent());

        // Every attempt fails for a while: the operation stays in the journal, retried with back-off, never failed.
        local.emulators.acs().faults().failNext(8, 503, 0);
        publish("tired-1", "user.onboarded", "unlucky", 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> record("unlucky").flatMap(PersonRecord::acsUserId).isPresent());
        var done = local.worker.ledger().history("unlucky").orElseThrow().operations().get(0);
        assertThat(done.attempts()).as("attempts until ACS answered").isGreaterThan(1);
        assertThat(done.lastError()).hasValueSatisfying(error -> assertThat(error).contains("503"));
        assertThat(failed()).isEmpty();
        assertThat(deadLetters()).isZero();
    }

    private java.util.List<org.acslifecycle.core.Operation> failed() {
        return local.worker.ledger().operations(Set.of(org.acslifecycle.core.Operation.Status.FAILED), 10);
    }

    private int ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + local.worker.healthPort() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
