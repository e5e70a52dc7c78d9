package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sliding window per operation, with instants given (no waiting). */
class QuotaLimiterTest {

    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");

    @Test
    void revokeAdmitsFiveHundredPerWindowThenSaysHowLongToWait() {
        QuotaLimiter quotas = new QuotaLimiter(1.0);
        for (int i = 0; i < 500; i++) {
            assertThat(quotas.tryAcquire(Operation.REVOKE_TOKENS, T0.plusMillis(i))).isEmpty();
        }

        assertThat(quotas.tryAcquire(Operation.REVOKE_TOKENS, T0.plusSeconds(10)))
                .hasValue(Duration.ofSeconds(20));
    }

    @Test
    void createAdmitsAThousandAndOperationsHaveSeparateBudgets() {
        QuotaLimiter quotas = new QuotaLimiter(1.0);
        for (int i = 0; i < 1000; i++) {
            assertThat(quotas.tryAcquire(Operation.CREATE_IDENTITY, T0)).isEmpty();
        }

        assertThat(quotas.tryAcquire(Operation.CREATE_IDENTITY, T0)).isPresent();
        assertThat(quotas.tryAcquire(Operation.ISSUE_TOKEN, T0)).isEmpty();
    }

    @Test
    void theFactorScalesTheWindowNotTheLimit() {
        QuotaLimiter quotas = new QuotaLimiter(0.1);
        for (int i = 0; i < 500; i++) {
            quotas.tryAcquire(Operation.DELETE_IDENTITY, T0);
        }

        assertThat(quotas.window()).isEqualTo(Duration.ofSeconds(3));
        assertThat(quotas.tryAcquire(Operation.DELETE_IDENTITY, T0.plusMillis(2_999))).isPresent();
        assertThat(quotas.tryAcquire(Operation.DELETE_IDENTITY, T0.plusMillis(3_000))).isEmpty();
    }
}
