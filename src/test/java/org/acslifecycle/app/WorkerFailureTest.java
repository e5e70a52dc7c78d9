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

/** DESIGN §5 end to end: transient ACS failures are ridden out, systemic ones pause intake; no good event is lost. */
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
                state("p" + i).equals(Optional.of(i < people / 2 ? PersonState.SUSPENDED : PersonState.ACTIVE))));

        assertThat(deadLetters()).isZero();
        var calls = local.emulators.acs().callCounts();
        assertThat(calls.count(Operation.CREATE_IDENTITY, 429) + calls.count(Operation.CREATE_IDENTITY, 503)
                + calls.count(Operation.REVOKE_TOKENS, 429) + calls.count(Operation.REVOKE_TOKENS, 503))
                .as("the faults really happened").isPositive();
        // A delayed retry can let a person's suspension overtake their onboarding; the onboarding is then
        // stale and the person stays SUSPENDED without an identity, which is what the rules say. So: every
        // identity in ACS is exactly one person's in the ledger, and every ACTIVE person has one.
        var ledgerIdentities = IntStream.range(0, people).mapToObj(i -> record("p" + i))
                .map(r -> r.flatMap(PersonRecord::acsUserId)).filter(Optional::isPresent).map(Optional::get).toList();
        assertThat(local.emulators.acs().identities()).extracting(i -> i.id())
                .containsExactlyInAnyOrderElementsOf(ledgerIdentities);
        assertThat(IntStream.range(people / 2, people).mapToObj(i -> record("p" + i).flatMap(PersonRecord::acsUserId)))
                .allMatch(Optional::isPresent);
    }

    private Optional<PersonRecord> record(String subject) {
        return local.worker.ledger().history(subject).flatMap(PersonHistory::record);
    }

    @Test
    void whenAcsRefusesOurKeyIntakePausesNothingIsDeadLetteredAndFixingTheKeyDrainsTheQueue() throws Exception {
        start(AcsEmulatorConfig.defaults());
        local.emulators.acs().faults().setWrongKeyMode(true);
        IntStream.range(0, 5).forEach(i -> publish("k-" + i, "user.onboarded", "k" + i, 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> ready() == 503);
        assertThat(local.worker.intake().pausedBecause()).hasValueSatisfying(why -> assertThat(why).contains("401"));
        Thread.sleep(2000); // paused: probes keep failing, nothing moves
        assertThat(deadLetters()).isZero();
        assertThat(IntStream.range(0, 5).mapToObj(i -> state("k" + i)).filter(Optional::isPresent)).isEmpty();

        local.emulators.acs().faults().setWrongKeyMode(false);

        await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, 5)
                .allMatch(i -> state("k" + i).equals(Optional.of(PersonState.ACTIVE))));
        await().atMost(Duration.ofSeconds(10)).until(() -> ready() == 200);
        assertThat(deadLetters()).isZero();
        assertThat(local.emulators.acs().identities()).hasSize(5);
    }

    @Test
    void anAcsOutagePausesIntakeInsteadOfDeadLetteringAndTheQueueDrainsWhenAcsIsBack() throws Exception {
        start(AcsEmulatorConfig.defaults());
        local.emulators.acs().faults().startOutage(Duration.ofSeconds(10));
        IntStream.range(0, 8).forEach(i -> publish("out-" + i, "user.onboarded", "o" + i, 0));

        await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.intake().pausedBecause().isPresent());
        assertThat(local.worker.intake().pausedBecause().orElseThrow()).contains("attempts in a row failed transiently");

        await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, 8)
                .allMatch(i -> state("o" + i).equals(Optional.of(PersonState.ACTIVE))));
        assertThat(deadLetters()).isZero();
    }

    @Test
    void anEventAcsRefusesIsDeadLetteredAsPermanentFailureAndOnePersistentlyFailingAsRetriesExhausted() throws Exception {
        // Outage detection off: here one event fails again and again, which would otherwise look like an outage.
        start(AcsEmulatorConfig.defaults(), Map.of("retry.outage-after", "1000", "retry.delays", "PT1S,PT1S"));
        local.emulators.acs().faults().failNext(1, 400, 0);
        publish("bad-1", "user.onboarded", "refused", 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters() == 1);
        var refused = local.emulators.serviceBus().deadLetters("lifecycle-events").get(0);
        assertThat(refused.deadLetterReason()).isEqualTo("PermanentFailure");
        assertThat(refused.deadLetterErrorDescription()).contains("ACS answered 400");
        assertThat(refused.applicationProperties()).containsEntry("acs-lifecycle-attempts", 1)
                .containsKey("acs-lifecycle-worker-version");

        // Every attempt fails: each delayed retry is spent, then the event is dead-lettered with what happened.
        local.emulators.acs().faults().failNext(40, 503, 0);
        publish("tired-1", "user.onboarded", "unlucky", 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters() == 2);
        var exhausted = local.emulators.serviceBus().deadLetters("lifecycle-events").get(1);
        assertThat(exhausted.deadLetterReason()).isEqualTo("RetriesExhausted");
        assertThat(exhausted.applicationProperties()).containsEntry("acs-lifecycle-attempts", 3);
        assertThat(String.valueOf(exhausted.applicationProperties().get("acs-lifecycle-last-error"))).contains("503");
        local.emulators.acs().faults().clear();
    }

    private int ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + local.worker.healthPort() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
