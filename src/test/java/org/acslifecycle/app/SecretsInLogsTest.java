package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * DESIGN §6: no access key, SAS key, connection string or ACS token ever reaches a log line. Runs the
 * worker through the paths that log the most (applied events, poison, transient and systemic ACS failures,
 * operator commands that issue tokens) at DEBUG, with keys of its own, and searches everything logged.
 */
class SecretsInLogsTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> capture;
    private ch.qos.logback.classic.Level rootLevel;

    @BeforeEach
    void captureEveryLogLineAtDebug() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %mdc %msg %ex%n");
        encoder.start();
        capture = new OutputStreamAppender<>();
        capture.setContext(context);
        capture.setEncoder(encoder);
        capture.setOutputStream(logged);
        capture.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        root.addAppender(capture);
        context.getLogger("org.acslifecycle").setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(capture);
        root.setLevel(rootLevel);
        context.getLogger("org.acslifecycle").setLevel(null);
    }

    @Test
    void noKeyConnectionStringOrTokenIsEverLogged() throws Exception {
        String sasKey = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        List<String> secrets = new ArrayList<>();
        Instant base = Instant.now().minusSeconds(3600);
        ServiceBusEmulatorOptions serviceBus = new ServiceBusEmulatorOptions(
                EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0,
                ServiceBusEmulatorOptions.DEFAULT_KEY_NAME, sasKey, java.time.Clock.systemUTC());
        LedgerSettings ledger = LedgerSettings.h2File(directory.resolve("ledger"));
        try (LocalWorker local = new LocalWorker(serviceBus, ledger, AcsEmulatorConfig.defaults(),
                Map.of("retry.delays", "PT1S,PT1S,PT1S", "retry.probe-every", "PT1S"))) {
            secrets.add(sasKey);
            secrets.add(local.emulators.serviceBus().connectionString());
            secrets.add(local.emulators.acs().accessKey());
            secrets.add(local.emulators.acs().connectionString());

            local.publisher.publish(EventPublisher.cloudEvent("s1", "/hr/test", "user.onboarded", "sam", base.toString(), null));
            local.publisher.publish("garbage".getBytes(StandardCharsets.UTF_8), "garbage-1");
            local.emulators.acs().faults().failNext(2, 503, 0);
            local.publisher.publish(EventPublisher.cloudEvent("s2", "/hr/test", "user.onboarded", "tim", base.toString(), null));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().history("tim")
                    .flatMap(PersonHistory::record).flatMap(PersonRecord::acsUserId).isPresent()
                    && local.worker.ledger().history("sam").flatMap(PersonHistory::record)
                            .flatMap(PersonRecord::acsUserId).isPresent());
            local.emulators.acs().faults().setWrongKeyMode(true);
            local.publisher.publish(EventPublisher.cloudEvent("s3", "/hr/test", "user.suspended", "sam", base.plusSeconds(60).toString(), null));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.acsWorkHeldBecause().isPresent());
            local.emulators.acs().faults().setWrongKeyMode(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> local.worker.ledger().history("sam").orElseThrow()
                    .record().orElseThrow().state().name().equals("SUSPENDED") && local.journalDone());

            Path config = directory.resolve("operator.properties");
            Files.writeString(config, String.join("\n", "ledger.url=" + ledger.jdbcUrl(), "ledger.user=sa",
                    "ledger.pool-size=4", "acs.connection-string=" + local.emulators.acs().connectionString(),
                    "acs.trusted-certificate-pem=" + local.emulators.acs().certificatePem()));
            StringWriter out = new StringWriter();
            var cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.execute("token", "issue", "tim", "--scope", "chat", "--config", config.toString());
            String token = out.toString().replaceAll("(?s).*token: (\\S+).*", "$1");
            assertThat(local.emulators.acs().inspectToken(token).valid()).isTrue();
            secrets.add(token);
        }

        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the capture saw the worker at work").contains("Applied user.onboarded").contains("ACS circuit open");
        for (String secret : secrets) {
            assertThat(log).as("a secret in the log").doesNotContain(secret);
        }
    }
}
