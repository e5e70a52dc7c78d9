package org.acslifecycle.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.acslifecycle.core.port.AcsBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared ACS budget: permits per slice from the ledger, under the quota over any window ACS slides. */
class JdbcAcsBudgetTest {

    @TempDir
    Path directory;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00.100Z"));
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    private JdbcLedger ledger;

    @BeforeEach
    void open() {
        ledger = JdbcLedger.open(LedgerSettings.h2File(directory.resolve("ledger")), clock);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private int granted(AcsBudget budget, AcsBudget.Call call, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            granted += budget.tryTake(call).granted() ? 1 : 0;
        }
        return granted;
    }

    @Test
    void aSliceGrantsItsShareThenSaysWhenTheNextBegins() {
        AcsBudget budget = ledger.budget(new JdbcAcsBudget.Limits(Map.of(AcsBudget.Call.DELETE_IDENTITY, 3.0),
                Duration.ofSeconds(1)));

        assertThat(granted(budget, AcsBudget.Call.DELETE_IDENTITY, 10)).isEqualTo(3);
        AcsBudget.Permit refused = budget.tryTake(AcsBudget.Call.DELETE_IDENTITY);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(900));
        assertThat(granted(budget, AcsBudget.Call.CREATE_IDENTITY, 50)).as("a call not limited").isEqualTo(50);

        now.set(now.get().plusSeconds(1));
        assertThat(granted(budget, AcsBudget.Call.DELETE_IDENTITY, 10)).as("the next slice").isEqualTo(3);
    }

    @Test
    void twoBudgetsOnOneLedgerShareOnePermitCountAsTwoReplicasWould() {
        JdbcAcsBudget.Limits limits = new JdbcAcsBudget.Limits(Map.of(AcsBudget.Call.REVOKE_TOKENS, 4.0),
                Duration.ofSeconds(1));
        AcsBudget replicaA = ledger.budget(limits);
        AcsBudget replicaB = ledger.budget(limits);

        int granted = 0;
        for (int i = 0; i < 5; i++) {
            granted += granted(replicaA, AcsBudget.Call.REVOKE_TOKENS, 1) + granted(replicaB, AcsBudget.Call.REVOKE_TOKENS, 1);
        }

        assertThat(granted).isEqualTo(4);
    }

    @Test
    void fractionalShareAveragesExactlyAndNoWindowAcsCouldSlideSeesMoreThanTheQuota() {
        // 500 per 30 s (revoke and delete), 1000 per 30 s, at every window the benchmark and tests use.
        for (int windowSeconds : new int[] {5, 15, 25, 30}) {
            JdbcAcsBudget.Limits limits = JdbcAcsBudget.Limits.fromQuotas(
                    Map.of(AcsBudget.Call.DELETE_IDENTITY, 500, AcsBudget.Call.CREATE_IDENTITY, 1000),
                    Duration.ofSeconds(windowSeconds));
            for (var entry : limits.perSlice().entrySet()) {
                int quota = entry.getKey() == AcsBudget.Call.DELETE_IDENTITY ? 500 : 1000;
                int worstWindow = 0;
                long total = 0;
                for (long slice = 1_000_000; slice < 1_000_000 + 10 * windowSeconds; slice++) {
                    total += JdbcAcsBudget.Limits.limitIn(slice, entry.getValue());
                    // A sliding window of W seconds touches at most W + 1 one-second slices, all permits spent at once.
                    int window = 0;
                    for (long s = slice; s <= slice + windowSeconds; s++) {
                        window += JdbcAcsBudget.Limits.limitIn(s, entry.getValue());
                    }
                    worstWindow = Math.max(worstWindow, window);
                }
                assertThat(worstWindow).as("worst %d s window for %s", windowSeconds, entry.getKey()).isLessThan(quota);
                assertThat((double) total / (10 * windowSeconds)).as("average per slice")
                        .isCloseTo(entry.getValue(), org.assertj.core.data.Offset.offset(0.1));
                assertThat(entry.getValue() * windowSeconds).as("share of the quota used")
                        .isGreaterThan(0.9 * quota * windowSeconds / (windowSeconds + 1.0));
            }
        }
    }
}
