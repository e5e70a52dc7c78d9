package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigSource;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.entra.EntraEmulator;
import org.acslifecycle.emulators.entra.EntraEmulatorConfig;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker on credentials alone: no connection string and no key anywhere in its configuration, only
 * {@code servicebus.namespace}, {@code acs.endpoint} and the {@code azure.*} client secret. It receives from the
 * Service Bus emulator (CBS put-token of type {@code jwt}, validated against the local Entra ID emulator's JWKS) and
 * creates in the ACS emulator (bearer token validated the same way). Neither the client secret nor a token is logged.
 */
class EntraIdWorkerEndToEndTest {

    private static final String TENANT = "0d9f6a3e-0000-4000-8000-0000000e2e01";
    private static final String CLIENT_ID = "5b2c7e1a-2222-4000-8000-0000000e2e02";
    private static final String CLIENT_SECRET = "worker~client~secret~never~logged";

    @TempDir
    Path directory;

    private EntraEmulator entra;
    private EmbeddedEmulators emulators;
    private Worker worker;
    private ServiceBusSenderClient sender;
    private Map<String, String> workerConfiguration;

    private final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
    private ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> capture;
    private ch.qos.logback.classic.Level rootLevel;

    @BeforeEach
    void start() {
        captureEveryLogLineAtDebug();
        entra = EntraEmulator.start(EntraEmulatorConfig.of(TENANT, CLIENT_ID, CLIENT_SECRET));
        emulators = EmbeddedEmulators.start(
                ServiceBusEmulatorOptions.of(EmbeddedEmulators.topology(Path.of("config/servicebus-config.json")), 0)
                        .withEntraIssuer(entra.trustedIssuer()),
                AcsEmulatorConfig.defaults().withEntraIssuer(entra.trustedIssuer()));
        LedgerSettings ledger = LedgerSettings.h2File(directory.resolve("ledger"));
        workerConfiguration = new HashMap<>();
        workerConfiguration.put("servicebus.namespace", "127.0.0.1:" + emulators.serviceBus().port());
        workerConfiguration.put("servicebus.development-emulator", "true");
        workerConfiguration.put("acs.endpoint", emulators.acs().endpoint().toString());
        workerConfiguration.put("acs.trusted-certificate-pem", emulators.acs().certificatePem().toString());
        workerConfiguration.put("azure.tenant-id", TENANT);
        workerConfiguration.put("azure.client-id", CLIENT_ID);
        workerConfiguration.put("azure.client-secret", CLIENT_SECRET);
        workerConfiguration.put("azure.authority-host", entra.authorityHost().toString());
        workerConfiguration.put("azure.trusted-certificate-pem", entra.certificatePem().toString());
        workerConfiguration.put("ledger.url", ledger.jdbcUrl());
        workerConfiguration.put("ledger.user", ledger.user());
        workerConfiguration.put("http.port", "0");
        // Nothing from the environment or the file may bring a key in.
        workerConfiguration.put("servicebus.connection-string", "");
        workerConfiguration.put("acs.connection-string", "");
        Config config = ConfigSource.resolve(Path.of("config/local.properties"), Map.of()).with(workerConfiguration);
        WorkerSettings settings = WorkerSettings.from(config);
        assertThat(settings.serviceBus().connectionString()).isEmpty();
        assertThat(settings.acs().connectionString()).isNull();
        worker = Worker.start(settings, Clock.systemUTC());
        sender = ServiceBusClients.builder(settings.serviceBus(), AzureCredentials.shared(settings.entraClient()))
                .sender().queueName(settings.serviceBus().queue()).buildClient();
    }

    @AfterEach
    void stop() {
        ch.qos.logback.classic.Logger root = root();
        root.detachAppender(capture);
        root.setLevel(rootLevel);
        if (sender != null) {
            sender.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (emulators != null) {
            emulators.close();
        }
        if (entra != null) {
            entra.close();
        }
    }

    @Test
    void anOnboardingIsReceivedAndAppliedOnEntraIdTokensAlone() throws Exception {
        new EventPublisher(sender).publish(EventPublisher.cloudEvent("entra-1", "/hr/test", "user.onboarded", "alice",
                Instant.now().minusSeconds(60).toString(), "test"));

        await().atMost(Duration.ofSeconds(60)).until(() -> record("alice").flatMap(PersonRecord::acsUserId).isPresent());

        String identity = record("alice").orElseThrow().acsUserId().orElseThrow();
        assertThat(emulators.acs().identities()).anySatisfy(i -> assertThat(i.id()).isEqualTo(identity));
        // One token per resource, both from the worker's one ClientSecretCredential (MSAL adds the OIDC scopes).
        assertThat(entra.requests()).filteredOn(r -> r.startsWith("POST /" + TENANT + "/oauth2/v2.0/token"))
                .anySatisfy(r -> assertThat(r).contains(" https://servicebus.azure.net/.default"))
                .anySatisfy(r -> assertThat(r).contains("scope=https://communication.azure.com//.default"))
                .allSatisfy(r -> assertThat(r).contains("grant_type=client_credentials").doesNotContain(CLIENT_SECRET));
        assertThat(workerConfiguration.values()).noneSatisfy(v -> assertThat(v).containsIgnoringCase("accesskey"))
                .noneSatisfy(v -> assertThat(v).containsIgnoringCase("SharedAccessKey"));
        String log = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).as("the capture saw the worker at work").contains("Applied user.onboarded");
        assertThat(log).as("the client secret in the log").doesNotContain(CLIENT_SECRET);
        assertThat(log).as("an access token in the log").doesNotContainPattern("eyJ[A-Za-z0-9_-]+\\.eyJ");
    }

    /** As {@code SecretsInLogsTest}: everything (the SDKs and MSAL4J included) at DEBUG, searched afterwards. */
    private void captureEveryLogLineAtDebug() {
        ch.qos.logback.classic.LoggerContext context =
                (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder =
                new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %mdc %msg %ex%n");
        encoder.start();
        capture = new ch.qos.logback.core.OutputStreamAppender<>();
        capture.setContext(context);
        capture.setEncoder(encoder);
        capture.setOutputStream(logged);
        capture.start();
        ch.qos.logback.classic.Logger root = root();
        rootLevel = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        root.addAppender(capture);
    }

    private static ch.qos.logback.classic.Logger root() {
        return ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private Optional<PersonRecord> record(String subject) {
        return worker.ledger().history(subject).flatMap(PersonHistory::record);
    }
}
