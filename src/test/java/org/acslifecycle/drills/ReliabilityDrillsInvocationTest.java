package org.acslifecycle.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The runner's command line: a scale, then drill names, run in the table's order. */
class ReliabilityDrillsInvocationTest {

    @Test
    void theRunnerRefusesAnUnknownScaleOrDrill() {
        assertThatThrownBy(() -> ReliabilityDrills.Invocation.parse("medium"))
                .hasMessageContaining("small or full");
        assertThatThrownBy(() -> ReliabilityDrills.Invocation.parse("small", "nosuch"))
                .hasMessageContaining("no drill named nosuch");
        assertThat(ReliabilityDrills.Invocation.parse("small", "secrets", "crash").drills())
                .extracting(Drill::name).containsExactly("crash", "secrets");
    }
}
