package org.acslifecycle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.LedgerFailure;
import org.junit.jupiter.api.Test;

class RecoveryPolicyTest {

    private final RecoveryPolicy policy = new RecoveryPolicy(
            List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)), Duration.ofSeconds(30), 5);

    private static DirectoryFailure.Transient throttled() {
        return new DirectoryFailure.Transient("createIdentity", "429", Duration.ofSeconds(2), null);
    }

    @Test
    void aTransientFailureIsRetriedLaterWithTheNextDelay() {
        assertThat(policy.decide(throttled(), 0, 1)).isEqualTo(new Recovery.RetryLater(Duration.ofSeconds(10), 1));
        assertThat(policy.decide(throttled(), 1, 1)).isEqualTo(new Recovery.RetryLater(Duration.ofMinutes(1), 2));
    }

    @Test
    void whenEveryDelayIsSpentTheEventIsDeadLetteredAsRetriesExhausted() {
        Recovery recovery = policy.decide(throttled(), 2, 1);

        assertThat(recovery).isInstanceOfSatisfying(Recovery.DeadLetter.class, dead -> {
            assertThat(dead.reason()).isEqualTo("RetriesExhausted");
            assertThat(dead.description()).contains("3 deliveries").contains("createIdentity");
        });
    }

    @Test
    void anUnreachableLedgerPausesIntakeSinceEveryEventNeedsIt() {
        assertThat(policy.decide(new LedgerFailure("down", null), 0, 1)).isInstanceOfSatisfying(Recovery.PauseIntake.class,
                pause -> assertThat(pause.why()).contains("ledger unavailable"));
    }

    @Test
    void manyEventsInARowFailingTransientlyIsAnOutageThatPausesInsteadOfSpendingRetries() {
        assertThat(policy.decide(throttled(), 0, 4)).isInstanceOf(Recovery.RetryLater.class);
        assertThat(policy.decide(throttled(), 2, 5)).isInstanceOfSatisfying(Recovery.PauseIntake.class,
                pause -> assertThat(pause.why()).contains("5 attempts in a row"));
    }

    @Test
    void aPermanentFailureIsDeadLetteredWithTheAcsErrorCode() {
        Recovery recovery = policy.decide(
                new DirectoryFailure.Permanent("createIdentity", 400, "InvalidScope", "bad scope", null), 0, 0);

        assertThat(recovery).isInstanceOfSatisfying(Recovery.DeadLetter.class, dead -> {
            assertThat(dead.reason()).isEqualTo("PermanentFailure");
            assertThat(dead.description()).contains("400").contains("InvalidScope");
        });
    }

    @Test
    void aSystemicFailurePausesIntakeAndNeverDeadLetters() {
        Recovery recovery = policy.decide(new DirectoryFailure.Systemic("createIdentity", 401, "denied", null), 99, 0);

        assertThat(recovery).isEqualTo(new Recovery.PauseIntake(Duration.ofSeconds(30),
                "ACS refused our credentials (HTTP 401)"));
    }

    @Test
    void anUnexpectedBugIsRetriedBeforeItIsDeadLettered() {
        assertThat(policy.decide(new IllegalStateException("oops"), 0, 1)).isInstanceOf(Recovery.RetryLater.class);
        assertThat(policy.decide(new IllegalStateException("oops"), 2, 1)).isInstanceOf(Recovery.DeadLetter.class);
    }

    @Test
    void aNonPositiveDelayIsRefusedWhenThePolicyIsMade() {
        assertThatThrownBy(() -> new RecoveryPolicy(List.of(Duration.ZERO), Duration.ofSeconds(1), 5))
                .hasMessageContaining("positive");
    }
}
