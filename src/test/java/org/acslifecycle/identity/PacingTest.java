package org.acslifecycle.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.Operation;
import org.junit.jupiter.api.Test;

/** A burst of revocations is spread over quota windows instead of running into 429s. */
class PacingTest {

    @Test
    void aBurstOfRevocationsRunsAtThePacedRateWithNoThrottling() throws Exception {
        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            AcsPacing pacing = AcsPacing.unpaced().with("revokeTokens", 4);
            AcsPacing oneSecondWindows = new AcsPacing(pacing.permitsPerWindow(), Duration.ofSeconds(1));
            AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(
                    EmulatedAcs.config(acs, EmulatedAcs.attempts(1)), oneSecondWindows, registry);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(adapter.createIdentity(CreateRequest.first(Instant.now())));
            }

            ExecutorService pool = Executors.newFixedThreadPool(12);
            long start = System.nanoTime();
            List<Future<?>> calls = new ArrayList<>();
            ids.forEach(id -> calls.add(pool.submit(() -> adapter.revokeTokens(id))));
            for (Future<?> call : calls) {
                call.get();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            pool.shutdown();

            // 4 per 1 s window, paced at 90 %: 3 per window, so 12 calls need four windows and at least three
            // window boundaries pass: more than two whole windows (the first began when the limiter was made,
            // before the burst). Unpaced, the burst takes about 0.1 s.
            assertThat(elapsed).isBetween(Duration.ofMillis(2000), Duration.ofSeconds(8));
            assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS)).isEqualTo(12);
            assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS, 429)).isZero();
            assertThat(registry.get("acs.lifecycle.acs.calls").tag("operation", "revokeTokens").timer().count())
                    .isEqualTo(12);
            System.out.printf("PacingTest - 12 revocations paced at 4/s (90 %%: 3/s) took %d ms%n", elapsed.toMillis());
        }
    }
}
