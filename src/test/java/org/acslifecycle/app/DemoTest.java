package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local --demo} on the embedded emulators: every row finishes, and the rows that make a point make it. */
class DemoTest {

    @TempDir
    Path directory;

    @Test
    void theDemoShowsALateOffboardingTakingEffectAfterALaterNoOpArrivedFirst() throws Exception {
        StringWriter printed = new StringWriter();
        try (LocalWorker local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")),
                AcsEmulatorConfig.defaults(), Map.of())) {
            Demo demo = new Demo(local.publisher, local.worker.ledger(), local.emulators.serviceBus(),
                    local.settings.serviceBus().queue());

            assertThat(demo.run(new PrintWriter(printed), Duration.ofSeconds(60))).as(printed.toString()).isTrue();
        }
        String table = printed.toString();
        assertThat(table).as(table).containsPattern("no-op: reinstated, ACTIVE\\s+harry\\s+user.reinstated\\s+APPLIED\\s")
                .containsPattern("late leaver, after the no-op\\s+harry\\s+user.offboarded\\s+APPLIED_LATE\\s+DELETED")
                .containsPattern("late joiner event \\(stale\\)\\s+alice\\s+user.onboarded\\s+STALE\\s")
                // The duplicate is told apart from the executor's rows, and a joiner shows the identity ACS made.
                .containsPattern("duplicate of evt-1003\\s+carol\\s+com.contoso.hr.Hire\\s+DUPLICATE\\s")
                .containsPattern("joiner\\s+bob\\s+user.onboarded\\s+APPLIED\\s+ACTIVE\\s+…\\w+")
                .containsPattern("suspension before onboarding\\s+dave\\s+user.suspended\\s+APPLIED\\s+SUSPENDED\\s+-");
        System.out.println(table);
    }
}
