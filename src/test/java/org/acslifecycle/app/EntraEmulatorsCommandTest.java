package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigSource;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code emulators --entra}: the printed environment lines alone, without a connection string, reach Service Bus. */
class EntraEmulatorsCommandTest {

    @Test
    void thePrintedAzureSettingsAreEnoughToSendOnEntraIdTokens() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread command = new Thread(() -> Main.commandLine().execute("emulators", "--servicebus-port", "0", "--entra"),
                "emulators-cli-entra");
        command.setDaemon(true); // it serves until the JVM stops, as the real command does
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.start();
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> captured.toString(StandardCharsets.UTF_8).contains("AZURE_TRUSTED_CERTIFICATE_PEM="));
        } finally {
            System.setOut(original);
        }
        Map<String, String> environment = new HashMap<>();
        captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("[A-Z_]+=.*"))
                .filter(l -> !l.contains("CONNECTION_STRING="))
                .forEach(l -> environment.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        Config config = ConfigSource.resolve(Path.of("config/local.properties"), environment);
        ServiceBusSettings settings = WorkerSettings.serviceBus(config);

        try (ServiceBusSenderClient sender = ServiceBusClients.builder(settings, AzureCredentials.shared(config))
                .sender().topicName("lifecycle-outcomes").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("on Entra ID"));
        }
        assertThat(settings.connectionString()).isEmpty();
        assertThat(environment).containsKeys("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                "AZURE_AUTHORITY_HOST", "ACS_ENDPOINT", "ACS_TRUSTED_CERTIFICATE_PEM", "SERVICEBUS_NAMESPACE");
        assertThat(WorkerSettings.acs(config).connectionString()).isNull();
    }
}
