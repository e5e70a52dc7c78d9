package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.acslifecycle.app.Main;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The standalone command: one KEY=value line, then it serves; bad options end it with exit code 2. */
class EmulatorsCommandTest {

    @Test
    void printsTheConnectionStringLineAndServesTheProjectTopology() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        AtomicReference<String> line = new AtomicReference<>();
        Thread command = new Thread(() -> Main.commandLine().execute("emulators", "--servicebus-port", "0"), "emulators-cli");
        command.setDaemon(true); // it serves until the JVM stops, as the real command does
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                String out = captured.toString(StandardCharsets.UTF_8);
                out.lines().filter(l -> l.startsWith("SERVICEBUS_CONNECTION_STRING=")).findFirst().ifPresent(line::set);
                return line.get() != null;
            });
        } finally {
            System.setOut(original);
        }
        String connectionString = line.get().substring("SERVICEBUS_CONNECTION_STRING=".length());

        try (ServiceBusSenderClient sender = TestTopologies.client(connectionString).sender()
                .topicName("lifecycle-outcomes").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("served"));
        }
        assertThat(connectionString).startsWith("Endpoint=sb://127.0.0.1:").endsWith("UseDevelopmentEmulator=true;");
        assertThat(command.isAlive()).as("still serving").isTrue();
    }

    @Test
    void missingTopologyFileEndsWithExitCodeTwo() {
        int exit = Main.commandLine().execute("emulators", "--servicebus-port", "0", "--servicebus-config", "no/such/file.json");

        assertThat(exit).isEqualTo(2);
    }
}
