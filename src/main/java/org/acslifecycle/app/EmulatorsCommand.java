package org.acslifecycle.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code emulators}: runs the embedded emulators standalone, bound to 127.0.0.1, prints one
 * {@code KEY=value} line per thing a client needs, then serves until stopped.
 */
@Command(name = "emulators", mixinStandardHelpOptions = true,
        description = "Run the embedded Service Bus and ACS Identity emulators until stopped.")
final class EmulatorsCommand implements Callable<Integer> {

    // --- ACS Identity emulator options (owned by the ACS emulator work) ---

    // --- Service Bus emulator options (owned by the Service Bus emulator work) ---
    @picocli.CommandLine.Option(names = "--servicebus-config", paramLabel = "FILE",
            defaultValue = "config/servicebus-config.json",
            description = "Service Bus topology in the official emulator's Config.json format (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path servicebusConfig;

    @picocli.CommandLine.Option(names = "--servicebus-port", paramLabel = "PORT", defaultValue = "5672",
            description = "Service Bus AMQP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port). "
                    + "Pick another port if something (e.g. RabbitMQ) already listens on 5672.")
    int servicebusPort;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        // --- start ACS Identity emulator here ---
        // --- start Service Bus emulator here ---
        org.acslifecycle.emulators.servicebus.ServiceBusEmulator serviceBus;
        try {
            serviceBus = org.acslifecycle.emulators.servicebus.ServiceBusEmulator.start(
                    org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions.of(
                            new org.acslifecycle.emulators.servicebus.topology.TopologyLoader().load(servicebusConfig),
                            servicebusPort));
        } catch (java.io.IOException e) {
            System.err.println("Service Bus emulator not started: cannot read " + servicebusConfig + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("Service Bus emulator not started: " + e.getMessage()
                    + " (see --servicebus-config and --servicebus-port)");
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                serviceBus.close();
            } catch (Exception e) {
                // The process is ending; nothing left to clean up.
            }
        }, "servicebus-emulator-stop"));
        System.out.println("SERVICEBUS_CONNECTION_STRING=" + serviceBus.connectionString());
        // --- end Service Bus emulator ---
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "emulators-shutdown"));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
