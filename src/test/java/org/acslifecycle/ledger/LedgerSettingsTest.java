package org.acslifecycle.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The URL the driver gets: H2's options for our SQL, and the mixed mode that lets a second process in. */
class LedgerSettingsTest {

    @Test
    void anH2FileLedgerIsOpenedInAutomaticMixedModeSoASecondProcessCanShareIt() {
        String url = LedgerSettings.h2File(Path.of("/tmp/ledger")).effectiveUrl();

        assertThat(url).startsWith("jdbc:h2:file:/tmp/ledger;").contains(";AUTO_SERVER=TRUE")
                .contains(";MODE=PostgreSQL").contains(";LOCK_TIMEOUT=60000");
    }

    @Test
    void anH2MemoryLedgerIsOneProcessesAndGetsNoServer() {
        String url = new LedgerSettings("jdbc:h2:mem:x", "sa", "", 2).effectiveUrl();

        assertThat(url).doesNotContain("AUTO_SERVER");
    }

    @Test
    void anAutoServerSettingOfTheUsersOwnIsKept() {
        String url = new LedgerSettings("jdbc:h2:file:/tmp/ledger;AUTO_SERVER=FALSE", "sa", "", 2).effectiveUrl();

        assertThat(url).contains(";AUTO_SERVER=FALSE").doesNotContain("AUTO_SERVER=TRUE");
    }

    @Test
    void aPostgresUrlIsPassedAsItIs() {
        String url = "jdbc:postgresql://127.0.0.1:5432/acs_lifecycle";

        assertThat(new LedgerSettings(url, "postgres", "", 2).effectiveUrl()).isEqualTo(url);
    }
}
