package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The quickstart's operations by hand, through the real SDK against the ACS emulator and an H2 ledger. */
class OperatorCommandsTest {

    private static AcsIdentityEmulator acs;

    @TempDir
    Path directory;

    private Path config;
    private StringWriter out;
    private StringWriter err;
    /** Everything every command printed, out and err. */
    private final StringBuilder transcript = new StringBuilder();

    @BeforeAll
    static void startAcs() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
    }

    @AfterAll
    static void stopAcs() {
        acs.close();
    }

    @BeforeEach
    void configuration() throws Exception {
        config = directory.resolve("operator.properties");
        Files.writeString(config, String.join("\n",
                "ledger.url=" + LedgerSettings.h2File(directory.resolve("ledger")).jdbcUrl(),
                "ledger.user=sa",
                "ledger.pool-size=4",
                "acs.connection-string=" + acs.connectionString(),
                "acs.trusted-certificate-pem=" + acs.certificatePem()));
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        int exit = cli.execute(withConfig);
        transcript.append(out).append(err);
        return exit;
    }

    private IdentityView identity(String id) {
        return acs.identities().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theQuickstartByHandCreatesIssuesRevokesAndDeletes() throws Exception {
        assertThat(run("identity", "create", "carol", "--operator", "ops-jane", "--reason", "ticket 7")).isZero();
        assertThat(out.toString()).contains("carol: created 8:acs:").contains("now ACTIVE").doesNotContain("token:");
        String acsUserId = out.toString().replaceAll("(?s).*created (8:acs:\\S+).*", "$1");
        assertThat(identity(acsUserId).deletedAt()).isNull();

        assertThat(run("token", "issue", "carol", "--scope", "chat,voip", "--expires-in", "60")).isZero();
        String token = out.toString().replaceAll("(?s).*token: (\\S+).*", "$1");
        assertThat(acs.inspectToken(token).valid()).isTrue();
        assertThat(acs.inspectToken(token).scopes()).containsExactly("chat", "voip");

        assertThat(run("token", "revoke", "carol")).isZero();
        assertThat(acs.inspectToken(token).valid()).as("revoked").isFalse();

        assertThat(run("identity", "delete", "carol")).isZero();
        assertThat(identity(acsUserId).deletedAt()).isNotNull();
        assertThat(run("token", "issue", "carol", "--scope", "chat")).isEqualTo(OperatorOptions.REFUSED);
        assertThat(err.toString()).contains("refused: carol is DELETED");

        assertThat(run("ledger", "history", "carol")).isZero();
        assertThat(out.toString()).contains("operator.identity-create").contains("ops-jane").contains("ticket 7")
                .contains("operator.token-issue").contains("operator.token-revoke").contains("operator.identity-delete")
                .doesNotContain(token);
    }

    @Test
    void createWithTokenAsJsonGivesTheIdentityAndTheToken() throws Exception {
        assertThat(run("identity", "create-with-token", "dave", "--scope", "chat", "--expires-in", "120", "--json")).isZero();

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("result").asText()).isEqualTo("done");
        assertThat(json.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(acs.inspectToken(json.get("token").asText()).identityId()).isEqualTo(json.get("acsUserId").asText());
    }

    @Test
    void aLifetimeOutsideSixtyToFourteenFortyMinutesPrintsUsage() {
        int exit = run("token", "issue", "erin", "--scope", "chat", "--expires-in", "30");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("60 to 1440 minutes").contains("Usage:");
    }

    @Test
    void aTokenWithoutAScopeIsAUsageError() {
        assertThat(run("token", "issue", "erin")).isEqualTo(2);
        assertThat(err.toString()).contains("--scope");
    }

    @Test
    void noOutputOrErrorEverShowsTheAccessKey() {
        run("identity", "create", "fay");
        run("token", "issue", "fay", "--scope", "chat");
        run("identity", "create", "fay");
        run("identity", "delete", "nobody", "--json");

        assertThat(transcript).contains("refused").doesNotContain(acs.accessKey());
    }
}
