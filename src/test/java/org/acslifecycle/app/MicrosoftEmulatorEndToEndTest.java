package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.config.ConfigSource;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.azure.ServiceBusEmulatorContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.mssqlserver.MSSQLServerContainer;
import org.testcontainers.containers.Network;

/**
 * The worker against Microsoft's own Service Bus emulator (Docker), with the project's Config.json, so the
 * embedded emulator's behaviour can be checked against the official one. Skipped, with a log line saying
 * why, where no Docker engine runs — as on this project's build machines.
 */
class MicrosoftEmulatorEndToEndTest {

    private static final Logger LOG = LoggerFactory.getLogger(MicrosoftEmulatorEndToEndTest.class);

    private static Network network;
    private static MSSQLServerContainer sql;
    private static ServiceBusEmulatorContainer serviceBus;
    private static AcsIdentityEmulator acs;

    @TempDir
    static Path directory;

    @BeforeAll
    static void startContainers() throws Exception {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            LOG.warn("Skipping the end-to-end run against Microsoft's Service Bus emulator: no Docker engine is reachable");
        }
        Assumptions.assumeTrue(docker, "no Docker engine: Microsoft's Service Bus emulator cannot run here");
        network = Network.newNetwork();
        sql = new MSSQLServerContainer("mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04").acceptLicense()
                .withNetwork(network);
        serviceBus = new ServiceBusEmulatorContainer("mcr.microsoft.com/azure-messaging/servicebus-emulator:latest")
                .acceptLicense().withConfig(Transferable.of(java.nio.file.Files.readString(
                        Path.of("config/servicebus-config.json"))))
                .withNetwork(network).withMsSqlServerContainer(sql);
        serviceBus.start();
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
    }

    @AfterAll
    static void stopContainers() {
        if (serviceBus != null) {
            serviceBus.stop();
            sql.stop();
            network.close();
            acs.close();
        }
    }

    @Test
    void eventsFlowThroughMicrosoftsEmulatorToAcsAndTheLedger() {
        var config = ConfigSource.resolve(Path.of("config/local.properties"), Map.of()).with(Map.of(
                "servicebus.connection-string", serviceBus.getConnectionString(),
                "acs.connection-string", acs.connectionString(),
                "acs.trusted-certificate-pem", acs.certificatePem().toString(),
                "ledger.url", LedgerSettings.h2File(directory.resolve("ledger")).jdbcUrl(),
                "http.port", "0"));
        WorkerSettings settings = WorkerSettings.from(config);
        Instant base = Instant.now().minusSeconds(600);
        try (Worker worker = Worker.start(settings, Clock.systemUTC());
                ServiceBusSenderClient sender = ServiceBusClients.builder(settings.serviceBus()).sender()
                        .queueName(settings.serviceBus().queue()).buildClient()) {
            EventPublisher publisher = new EventPublisher(sender);
            publisher.publish(EventPublisher.cloudEvent("ms-1", "/hr/test", "user.onboarded", "mia", base.toString(), null));
            publisher.publish(EventPublisher.cloudEvent("ms-2", "/hr/test", "user.offboarded", "mia",
                    base.plusSeconds(60).toString(), null));

            await().atMost(Duration.ofSeconds(60)).until(() -> worker.ledger().history("mia")
                    .flatMap(PersonHistory::record).map(PersonRecord::state).equals(Optional.of(PersonState.DELETED)));
            assertThat(acs.identities()).singleElement().satisfies(i -> assertThat(i.deletedAt()).isNotNull());
        }
    }
}
