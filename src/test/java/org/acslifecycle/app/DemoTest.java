package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
                AcsEmulatorConfig.defaults(), Demo.CONFIG)) {
            Demo demo = new Demo(local.publisher, local.worker.ledger(), local.worker.deletions(),
                    local.emulators.serviceBus(), local.settings.serviceBus().queue());

            assertThat(demo.run(new PrintWriter(printed), Duration.ofSeconds(60))).as(printed.toString()).isTrue();
            assertThat(demo.runBreaker(new PrintWriter(printed), Demo.acsView(local.emulators.acs()),
                    Duration.ofSeconds(60))).as(printed.toString()).isTrue();
        }
        String table = printed.toString();
        assertThat(table).as(table).containsPattern("no-op: reinstated, ACTIVE\\s+harry\\s+user.reinstated\\s+APPLIED\\s")
                .containsPattern("late leaver, after the no-op\\s+harry\\s+user.offboarded\\s+APPLIED_LATE\\s+OFFBOARDED\\s+…\\w+")
                .containsPattern("late joiner event \\(stale\\)\\s+alice\\s+user.onboarded\\s+STALE\\s")
                // The duplicate is told apart from the executor's rows, and a joiner shows the identity ACS made.
                .containsPattern("duplicate of evt-1003\\s+carol\\s+com.contoso.hr.Hire\\s+DUPLICATE\\s")
                .containsPattern("joiner\\s+bob\\s+user.onboarded\\s+APPLIED\\s+ACTIVE\\s+…\\w+")
                .containsPattern("suspension before onboarding\\s+dave\\s+user.suspended\\s+APPLIED\\s+SUSPENDED\\s+-")
                // Safe offboarding: access cut, identity kept through the grace period, reversed with the same one.
                .containsPattern("leaver \\(grace period\\)\\s+ivan\\s+user.offboarded\\s+APPLIED\\s+OFFBOARDED\\s+(…\\w+)")
                .containsPattern("re-joined within grace: reversal\\s+ivan\\s+user.onboarded\\s+APPLIED\\s+ACTIVE\\s+…\\w+")
                .containsPattern("leaver on legal hold\\s+judy\\s+user.offboarded\\s+APPLIED\\s+OFFBOARDED\\s+…\\w+")
                .containsPattern("leaver, effective in 30 days\\s+kate\\s+user.offboarded\\s+SCHEDULED\\s+ACTIVE\\s+…\\w+")
                .contains("after the feed:  access cut 4 of 4, deleted 0, deletions held 4")
                .contains("4 released, deleted 4 of 4");
        java.util.regex.Matcher ivan = java.util.regex.Pattern.compile("ivan\\s+user.\\w+\\s+\\w+\\s+\\w+\\s+(\\S+)")
                .matcher(table);
        List<String> ivansIdentities = new java.util.ArrayList<>();
        while (ivan.find()) {
            ivansIdentities.add(ivan.group(1));
        }
        assertThat(ivansIdentities).as("the reversal keeps the identity: " + table).hasSize(3).containsOnly(ivansIdentities.get(0));
        System.out.println(table);
    }
}
