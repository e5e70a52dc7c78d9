package org.acslifecycle.app;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.acslifecycle.core.FakeDirectory;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LedgerCommandTest {

    @TempDir
    Path directory;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void ledgerWithAliceOnboardedAndOffboarded() {
        LedgerSettings settings = LedgerSettings.h2File(directory.resolve("ledger"));
        config = directory.resolve("test.properties");
        try {
            java.nio.file.Files.writeString(config, "ledger.url=" + settings.jdbcUrl() + "\nledger.user=sa\nledger.pool-size=4\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        FakeDirectory acs = new FakeDirectory();
        try (JdbcLedger ledger = JdbcLedger.open(settings, Clock.systemUTC())) {
            Controller service = new Controller(ledger, acs);
            service.handle(event(ONBOARDED, "alice", 0));
            service.handle(event(OFFBOARDED, "alice", 10));
            acs.afterCreate(() -> {
                throw new IllegalStateException("simulated lost answer");
            });
            // The create's answer is lost: the operation stays PENDING with an attempt that may have made an identity.
            service.handle(event(ONBOARDED, "bob", 0));
        }
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void historyPrintsTheRecordAndEveryAuditRowAsText() {
        int exit = run("ledger", "history", "alice", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("alice: DELETED, ACS user (none)")
                .contains("History (oldest first):")
                .contains("APPLIED   user.onboarded")
                .contains("APPLIED   user.offboarded");
    }

    @Test
    void historyAsJsonCarriesTheRecordAuditAndIntents() throws Exception {
        int exit = run("ledger", "history", "alice", "--json", "--config", config.toString());

        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.at("/record/state").asText()).isEqualTo("DELETED");
        assertThat(json.at("/audit").size()).as("two events, and the executor's create and delete").isEqualTo(4);
        assertThat(json.at("/audit/0/outcome").asText()).isEqualTo("APPLIED");
        assertThat(json.at("/audit/0/eventType").asText()).isEqualTo("user.onboarded");
        assertThat(json.at("/operations").size()).as("a create and a cut-off").isEqualTo(2);
        assertThat(json.at("/operations/1/kind").asText()).isEqualTo("CUT_OFF");
    }

    @Test
    void historyOfAStrangerSaysSoAndExitsNonZero() {
        int exit = run("ledger", "history", "nobody", "--config", config.toString());

        assertThat(exit).isEqualTo(LedgerCommand.NOT_FOUND);
        assertThat(err.toString()).contains("no record of 'nobody'");
    }

    @Test
    void intentsListsTheCreateThatCrashedAsAPossibleOrphan() {
        int exit = run("ledger", "intents", "--config", config.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("CREATE").contains("PENDING").contains("for bob")
                .contains("POSSIBLE ORPHAN").doesNotContain("for alice");
    }

    @Test
    void aBadConfigValueStopsTheCommandNamingTheKey() throws Exception {
        java.nio.file.Files.writeString(config, "ledger.url=jdbc:h2:mem:x\nledger.pool-size=lots\n");

        int exit = run("ledger", "intents", "--config", config.toString());

        assertThat(exit).isEqualTo(Main.CONFIG_ERROR);
        assertThat(err.toString()).startsWith("error: configuration key 'ledger.pool-size'").contains("LEDGER_POOL_SIZE").contains("'lots'");
    }

    @Test
    void aMissingArgumentPrintsUsage() {
        int exit = run("ledger", "history", "--config", config.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter").contains("Usage:");
    }
}
