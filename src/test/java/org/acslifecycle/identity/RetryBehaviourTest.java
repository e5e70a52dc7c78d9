package org.acslifecycle.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.FaultPlan;
import org.acslifecycle.emulators.acs.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retry layer, measured on the wire: the emulator counts HTTP attempts, so a logical call is seen to make exactly
 * the attempts intended (the SDK's own retries would add more), and waits are timed.
 */
class RetryBehaviourTest {

    private static final Logger LOG = LoggerFactory.getLogger(RetryBehaviourTest.class);

    private static AcsIdentityEmulator acs;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
    }

    @AfterAll
    static void stop() {
        acs.close();
    }

    @BeforeEach
    void freshService() {
        acs.reset();
    }

    @Test
    void a429WithRetryAfterTwoSecondsIsRetriedAfterAboutTwoSeconds() {
        AcsIdentityAdapter adapter = adapter(RetrySettings.defaults());
        acs.faults().failNext(1, 429, 2);

        long start = System.nanoTime();
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        LOG.info("429 with Retry-After: 2 -> call took {} ms", elapsed.toMillis());
        assertThat(id).startsWith("8:acs:");
        assertThat(elapsed).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(4));
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(2);
    }

    @Test
    void aPersistent503MakesExactlyMaxAttemptsThenFailsTransient() {
        AcsIdentityAdapter adapter = adapter(EmulatedAcs.attempts(3));
        acs.faults().setPlan(FaultPlan.none().withErrorShares(0, 0, 1.0).withRetryAfterSeconds(0));

        long start = System.nanoTime();
        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now()))).isInstanceOf(DirectoryFailure.Transient.class);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        LOG.info("3 attempts against a persistent 503 (back-off 50 ms doubling, ±50 %) took {} ms", elapsed.toMillis());
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(3);
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 503)).isEqualTo(3);
        // Back-offs 50 ms and 100 ms, each ±50 %: at least 75 ms in all, and nowhere near the SDK's 0.8 s steps.
        assertThat(elapsed).isBetween(Duration.ofMillis(75), Duration.ofSeconds(3));
    }

    @Test
    void exponentialBackOffWithJitterSpacesTheAttemptsWithoutRetryAfter() {
        AcsIdentityAdapter adapter = adapter(new RetrySettings(3, Duration.ofMillis(400), Duration.ofSeconds(2), 0.5,
                Duration.ofSeconds(10), true));
        acs.faults().failNext(2, 500, 0);

        long start = System.nanoTime();
        adapter.createIdentity(CreateRequest.first(Instant.now()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        LOG.info("two 500s then success, back-off 400 ms doubling ±50 % -> {} ms", elapsed.toMillis());
        // 400 ms ± 50 % then 800 ms ± 50 %: between 600 ms and 1800 ms of waiting.
        assertThat(elapsed).isBetween(Duration.ofMillis(600), Duration.ofMillis(3500));
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(3);
    }

    @Test
    void aRetryAfterLongerThanTheTimeBudgetIsNotWaitedForButHandedToTheCaller() {
        AcsIdentityAdapter adapter = adapter(new RetrySettings(4, Duration.ofMillis(50), Duration.ofMillis(200), 0.5,
                Duration.ofSeconds(2), true));
        acs.faults().failNext(1, 429, 30);

        long start = System.nanoTime();
        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOfSatisfying(DirectoryFailure.Transient.class,
                        f -> assertThat(f.retryAfter()).hasValue(Duration.ofSeconds(30)));

        // Far under the 30 s ACS asked for: the adapter handed the wait to its caller instead of overrunning its 2 s
        // budget. (The bound leaves room for one slow call on a loaded machine; waiting would take 30 s.)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(1);
    }

    @Test
    void permanentAndSystemicFailuresAreNeverRetried() {
        AcsIdentityAdapter adapter = adapter(EmulatedAcs.attempts(4));
        acs.faults().failNext(1, 403, 0);

        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now()))).isInstanceOf(DirectoryFailure.Systemic.class);
        acs.faults().failNext(1, 400, 0);
        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now()))).isInstanceOf(DirectoryFailure.Permanent.class);

        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(2);
    }

    @Test
    void withAmbiguousCreateRetriesOffA500IsNotRetriedButA429Is() {
        AcsIdentityAdapter adapter = adapter(new RetrySettings(3, Duration.ofMillis(50), Duration.ofMillis(200), 0.5,
                Duration.ofSeconds(10), false));

        acs.faults().failNext(1, 500, 0);
        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now()))).isInstanceOf(DirectoryFailure.Transient.class);
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(1);

        acs.faults().failNext(1, 429, 0);
        adapter.createIdentity(CreateRequest.first(Instant.now()));
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY)).isEqualTo(3);
    }

    @Test
    void aRevokeIsRetriedOnTransientFailuresAndThenSucceeds() {
        AcsIdentityAdapter adapter = adapter(EmulatedAcs.attempts(3));
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));
        acs.faults().failNext(2, 503, 0);

        adapter.revokeTokens(id);

        assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS, 503)).isEqualTo(2);
        assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS, 204)).isEqualTo(1);
    }

    @Test
    void aSlowAnswerTimesOutPerAttemptAndIsRetriedAsTransient() {
        AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs, EmulatedAcs.attempts(2))
                .withAttemptTimeout(Duration.ofMillis(300)));
        acs.faults().setPlan(FaultPlan.none().withLatency(Duration.ofMillis(3000)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOf(DirectoryFailure.Transient.class)
                .hasMessageContaining("did not answer in time");

        // Two attempts of 300 ms plus one short back-off: far less than one answer's 3 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        // The emulator counts a request when it answers, i.e. after its added latency.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> acs.callCounts().count(Operation.CREATE_IDENTITY) == 2);
    }

    @Test
    void aRetriedCreateWhoseFirstAnswerWasLostGetsTheSameIdentityAndLeavesNoOrphan() {
        AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs, EmulatedAcs.attempts(3))
                .withAttemptTimeout(Duration.ofMillis(400)));
        acs.faults().delayNext(1, Duration.ofMillis(1200));

        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));

        // The first attempt timed out on the client, but ACS still handles it; both attempts carried the same
        // Repeatability-Request-ID, so whichever ACS handled second got the first one's identity back.
        // (The emulator counts a request after performing it, so once both are counted both are done.)
        await().atMost(Duration.ofSeconds(5)).until(() -> acs.callCounts().count(Operation.CREATE_IDENTITY) == 2);
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 201)).isEqualTo(2);
        assertThat(acs.identities()).extracting(v -> v.id()).containsExactly(id);
    }

    @Test
    void aCreateWhoseAnswerWasLostAfterAcsMadeTheIdentityIsRetriedIntoTheSameIdentity() {
        AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs, EmulatedAcs.attempts(3)));
        acs.faults().loseNextAnswers(1);

        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));

        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 503)).as("the first answer was lost").isEqualTo(1);
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 201)).isEqualTo(1);
        assertThat(acs.identities()).extracting(v -> v.id()).as("no orphan").containsExactly(id);
    }

    @Test
    void notRetryingAnAmbiguousCreateFailsTheCallButCannotPreventTheOrphan() {
        AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs,
                new RetrySettings(3, Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(10), false))
                .withAttemptTimeout(Duration.ofMillis(400)));
        acs.faults().delayNext(1, Duration.ofMillis(1200));

        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now()))).isInstanceOf(DirectoryFailure.Transient.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> acs.callCounts().count(Operation.CREATE_IDENTITY) == 1);
        assertThat(acs.identities()).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsTransient() {
        AcsIdentityEmulator gone = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(gone, EmulatedAcs.attempts(2)));
        gone.close();

        assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOf(DirectoryFailure.Transient.class)
                .hasMessageContaining("I/O failure");
    }

    private static AcsIdentityAdapter adapter(RetrySettings retry) {
        return AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs, retry));
    }
}
