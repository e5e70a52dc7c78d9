package org.acslifecycle.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reliability drills at small scale, every one, inside {@code mvn verify}, so that they cannot rot: the table is
 * printed into the test's output and every row must pass. The full scale runs by hand (README).
 */
class ReliabilityDrillsSmallTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyDrillPassesAtSmallScale() {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new TeeStream(System.out, table), true, StandardCharsets.UTF_8);
        List<DrillResult> results = ReliabilityDrills.run(Scale.SMALL, ReliabilityDrills.DRILLS, both);

        assertThat(results).hasSize(ReliabilityDrills.DRILLS.size());
        assertThat(results).as("drills that failed, in this table:%n%s", table.toString(StandardCharsets.UTF_8))
                .filteredOn(r -> !r.passed()).isEmpty();
    }

    /** Writes to the console (the test's output) and to a buffer (the failure message). */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
