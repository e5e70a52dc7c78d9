package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.port.PersonUnitOfWork;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two terminals, as the README shows them: {@code local} running in a JVM of its own (the worker, the emulators and
 * the H2 ledger file it opened first), and operator commands in this JVM beside it, on the same ledger file and on
 * the connection strings {@code local} wrote to {@code data/local.env}. One {@code local} for all the tests: its
 * start is most of the time they take.
 */
class OperatorCommandsBesideLocalTest {

    private static final Pattern ACS_USER = Pattern.compile("ACS user (8:acs:[^,\\s]+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;

    private static WorkerProcess local;
    private static Map<String, String> environment;
    private static Path cliConfig;
    private String out = "";

    @BeforeAll
    static void startLocalInItsOwnTerminal() throws Exception {
        // The project's local defaults, with only what a shared test machine needs: a free health port, and the
        // topology found from the temporary directory; the ledger stays ./data/ledger, relative to local's directory.
        Files.createDirectories(directory.resolve("config"));
        Files.writeString(directory.resolve("config/local.properties"), Files.readString(Path.of("config/local.properties"))
                + "\nhttp.port=0\nservicebus.topology=" + Path.of("config/servicebus-config.json").toAbsolutePath() + "\n");
        local = WorkerProcess.startLocal(directory, "local");
        local.awaitOutputLine("Operator commands run beside this worker", Duration.ofSeconds(60));
        environment = sourced(directory.resolve("data/local.env"));
        cliConfig = secondTerminalConfig();
    }

    @AfterAll
    static void stopLocal() throws InterruptedException {
        if (local != null && local.isAlive()) {
            local.stop();
        }
    }

    @Test
    void operatorCommandsInASecondProcessAgreeWithWhatTheRunningWorkerDid() throws Exception {
        assertThat(cli("publish", "--type", "user.onboarded", "--subject", "zoe")).isZero();
        String history = awaitCli(text -> ACS_USER.matcher(text).find(), "ledger", "history", "zoe");
        assertThat(history).startsWith("zoe: ACTIVE");
        String identityTheWorkerMade = acsUser(history);

        assertThat(cli("token", "issue", "zoe", "--scope", "chat", "--operator", "ops-test", "--reason", "beside local"))
                .isZero();
        assertThat(out).contains("zoe: issued a token for " + identityTheWorkerMade).contains("token: ey");

        assertThat(cli("identity", "create", "yan", "--operator", "ops-test", "--reason", "beside local")).isZero();
        String created = out.replaceAll("(?s)^yan: created (8:acs:\\S+).*", "$1");
        assertThat(cli("ledger", "history", "yan")).isZero();
        assertThat(out).startsWith("yan: ACTIVE, ACS user " + created);

        assertThat(cli("ops", "list", "--status", "DONE")).isZero();
        assertThat(out).containsPattern("CREATE +DONE +for zoe");

        try (ServiceBusSenderClient sender = serviceBus().sender().queueName("lifecycle-events").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("not json").setMessageId("poison-beside-local"));
        }
        assertThat(awaitCli(text -> text.contains("poison-beside-local"), "dlq", "list")).contains("InvalidEvent");

        assertThat(cli("ledger", "intents")).isZero();
        assertThat(cli("hold", "list")).isZero();
        assertThat(cli("deletions", "list-held")).isZero();
    }

    @Test
    void aPersonsLockHeldInTheSecondProcessHoldsTheWorkersIntakeOfThatPerson() throws Exception {
        LedgerSettings settings = ConfigOptions.ledgerSettings(Config.load(cliConfig, Map.of()));
        try (JdbcLedger ledger = JdbcLedger.open(new LedgerSettings(settings.jdbcUrl(), settings.user(), "", 2),
                Clock.systemUTC())) {
            try (PersonUnitOfWork held = ledger.open("lou")) {
                assertThat(cli("publish", "--type", "user.onboarded", "--subject", "lou")).isZero();
                awaitBlockedSession(settings);
                assertThat(cli("ledger", "history", "lou")).isEqualTo(3);
            }
            assertThat(awaitCli(text -> text.startsWith("lou: ACTIVE"), "ledger", "history", "lou")).contains("APPLIED");
        }
    }

    @Test
    void aCommandInASecondTerminalReachesTheLedgerAndAcsThroughTheSourcedEnvFile() throws Exception {
        // What a person types, in local's directory: the env file sourced by a shell, then the CLI in a JVM of its own
        // (on its default config/local.properties, as local).
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process identity = new ProcessBuilder("sh", "-c", ". ./data/local.env && exec \"$0\" -cp \"$1\" "
                + Main.class.getName() + " identity create sam --operator ops-test --reason 'second terminal'",
                java, classpath).directory(directory.toFile()).redirectErrorStream(true).start();
        String printed = new String(identity.getInputStream().readAllBytes());
        assertThat(identity.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(identity.exitValue()).as(printed).isZero();
        assertThat(printed).contains("sam: created 8:acs:");
        assertThat(cli("ledger", "history", "sam")).isZero();
        assertThat(out).startsWith("sam: ACTIVE, ACS user 8:acs:");
    }

    /** The second terminal's configuration: local's file, its ledger URL made absolute, and the sourced variables. */
    private static Path secondTerminalConfig() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("ledger.url=" + LedgerSettings.h2File(directory.resolve("data/ledger")).jdbcUrl());
        for (String key : List.of("servicebus.connection-string", "acs.connection-string", "acs.trusted-certificate-pem")) {
            String variable = Config.environmentName(key);
            assertThat(environment).as("data/local.env exports %s", variable).containsKey(variable);
            lines.add(key + "=" + environment.get(variable).replace("\\", "\\\\"));
        }
        Path file = directory.resolve("second-terminal.properties");
        Files.writeString(file, Files.readString(directory.resolve("config/local.properties")) + "\n"
                + String.join("\n", lines) + "\n");
        return file;
    }

    /** The variables of {@code export NAME='value'} lines, as a shell would source them. */
    private static Map<String, String> sourced(Path envFile) throws Exception {
        Map<String, String> variables = new HashMap<>();
        Matcher export = Pattern.compile("(?m)^export ([A-Z_]+)='((?:[^']|'\\\\'')*)'$").matcher(Files.readString(envFile));
        while (export.find()) {
            variables.put(export.group(1), export.group(2).replace("'\\''", "'"));
        }
        return variables;
    }

    private static com.azure.messaging.servicebus.ServiceBusClientBuilder serviceBus() {
        return org.acslifecycle.messaging.ServiceBusClients.builder(WorkerSettings.serviceBus(Config.load(cliConfig, Map.of())));
    }

    /** Until a session of the worker's waits on a row lock: the worker's intake has reached the person we hold. */
    private static void awaitBlockedSession(LedgerSettings settings) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection sql = DriverManager.getConnection(settings.effectiveUrl(), settings.user(), "")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet row = sql.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL")) {
                    row.next();
                    if (row.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no session waited on the held person lock within " + WAIT);
    }

    private String awaitCli(Predicate<String> printed, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (cli(args) == 0 && printed.test(out)) {
                return out;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(String.join(" ", args) + " never printed what was expected; last:\n" + out);
    }

    private static String acsUser(String history) {
        Matcher user = ACS_USER.matcher(history);
        assertThat(user.find()).as(history).isTrue();
        return user.group(1);
    }

    /** Runs a command in this JVM, the second process, on the second terminal's configuration. */
    private int cli(String... args) {
        StringWriter printed = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(printed, true));
        cli.setErr(new PrintWriter(printed, true));
        List<String> withConfig = new ArrayList<>(List.of(args));
        withConfig.addAll(List.of("--config", cliConfig.toString()));
        int exit = cli.execute(withConfig.toArray(String[]::new));
        out = printed.toString();
        return exit;
    }
}
