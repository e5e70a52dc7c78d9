package org.acslifecycle.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.acslifecycle.core.Operation;
import org.junit.jupiter.api.Test;

/** The ledger-backed gauges answer a scrape at once, whatever the database does. */
class LedgerGaugesTest {

    @Test
    void theGaugesReadTheLedgersCountsByKindAndStatus() {
        LedgerGauges gauges = new LedgerGauges(() -> 4,
                (kind, status) -> kind == Operation.Kind.CUT_OFF && status == Operation.Status.PENDING ? 120 : 1,
                Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(5)).until(() -> gauges.deletionsHeld() == 4.0);
        assertThat(gauges.operations(Operation.Kind.CUT_OFF, Operation.Status.PENDING)).isEqualTo(120.0);
        assertThat(gauges.operations(Operation.Kind.CREATE, Operation.Status.FAILED)).isEqualTo(1.0);
    }

    @Test
    void aScrapeDoesNotWaitForALedgerThatHangs() throws Exception {
        CountDownLatch ledgerAnswers = new CountDownLatch(1);
        LedgerGauges gauges = new LedgerGauges(() -> {
            try {
                ledgerAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 7;
        }, (kind, status) -> 0, Duration.ZERO);

        long start = System.nanoTime();
        double held = gauges.deletionsHeld();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(held).as("nothing counted yet").isNaN();

        ledgerAnswers.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> gauges.deletionsHeld() == 7.0);
    }

    @Test
    void aLedgerThatFailsReadsAsNanUntilItAnswersAgain() {
        AtomicBoolean down = new AtomicBoolean(false);
        LedgerGauges gauges = new LedgerGauges(() -> {
            if (down.get()) {
                throw new IllegalStateException("ledger unreachable");
            }
            return 2;
        }, (kind, status) -> 0, Duration.ZERO);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauges.deletionsHeld() == 2.0);

        down.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> Double.isNaN(gauges.deletionsHeld()));
        assertThat(gauges.operations(Operation.Kind.REVOKE, Operation.Status.FAILED)).isNaN();

        down.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauges.deletionsHeld() == 2.0);
    }
}
