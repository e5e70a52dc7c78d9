package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code local --demo} as a user runs it: the token service's part of the story ends as README says. */
class LocalDemoTokenServiceTest {

    @Test
    void theDemoIssuesATokenToAnActivePersonAndRefusesItAfterTheSuspension() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("local", "--demo");

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .containsPattern("hana \\(ACTIVE\\) asks for a chat token\\s+-> 200 token for")
                .containsPattern("hana \\(SUSPENDED\\) asks again\\s+-> 403 person-not-active")
                .doesNotContain("eyJ");
    }
}
