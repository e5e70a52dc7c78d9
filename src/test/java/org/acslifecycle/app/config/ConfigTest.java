package org.acslifecycle.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void anEnvironmentVariableOverridesTheFileUnderTheKeysUpperCaseName() {
        Config config = Config.of(Map.of("ledger.pool-size", "10"), Map.of("LEDGER_POOL_SIZE", "12"));

        assertThat(config.integer("ledger.pool-size", 2, 100)).isEqualTo(12);
    }

    @Test
    void aMissingKeyIsNamedWithItsEnvironmentVariable() {
        Config config = Config.of(Map.of(), Map.of());

        assertThatThrownBy(() -> config.string("acs.endpoint"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'acs.endpoint'").hasMessageContaining("ACS_ENDPOINT").hasMessageContaining("missing");
    }

    @Test
    void badValuesAreRefusedWithWhatWasExpected() {
        Config config = Config.of(Map.of("n", "0", "flag", "yes", "wait", "30s", "waits", "PT1S, PT-1S"), Map.of());

        assertThatThrownBy(() -> config.integer("n", 1, 5)).hasMessageContaining("from 1 to 5, was 0");
        assertThatThrownBy(() -> config.bool("flag")).hasMessageContaining("true or false, was 'yes'");
        assertThatThrownBy(() -> config.duration("wait")).hasMessageContaining("ISO-8601 duration");
        assertThatThrownBy(() -> config.durations("waits")).hasMessageContaining("positive");
    }

    @Test
    void durationListsAndChoicesAreParsed() {
        Config config = Config.of(Map.of("waits", "PT10S, PT1M", "format", "json"), Map.of());

        assertThat(config.durations("waits")).isEqualTo(List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)));
        assertThat(config.choice("format", Format.class)).isEqualTo(Format.JSON);
        assertThatThrownBy(() -> Config.of(Map.of("format", "xml"), Map.of()).choice("format", Format.class))
                .hasMessageContaining("[human, json]");
    }

    enum Format { HUMAN, JSON }

    @Test
    void theLocalDefaultsShipInsideTheJar() {
        assertThat(ConfigSource.class.getResource("/config/local.properties")).isNotNull();
    }
}
