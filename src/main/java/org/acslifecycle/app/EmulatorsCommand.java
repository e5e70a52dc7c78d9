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
    @picocli.CommandLine.Option(names = "--acs-port", defaultValue = "0",
            description = "ACS Identity emulator HTTPS port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}")
    int acsPort;

    @picocli.CommandLine.Option(names = "--acs-access-key", defaultValue = "${env:ACS_EMULATOR_ACCESS_KEY}",
            description = "ACS access key (base64, at least 16 bytes); env ACS_EMULATOR_ACCESS_KEY; random if unset.")
    String acsAccessKey;

    @picocli.CommandLine.Option(names = "--acs-certificate-pem",
            description = "Where the ACS emulator writes its certificate (PEM); a temporary file if unset.")
    java.nio.file.Path acsCertificatePem;

    @picocli.CommandLine.Option(names = "--acs-accept-any-bearer",
            description = "Permissive mode: accept any 'Authorization: Bearer' token instead of HMAC only.")
    boolean acsAcceptAnyBearer;
    // --- end ACS Identity emulator options ---

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
        org.acslifecycle.emulators.acs.AcsEmulatorConfig acsConfig =
                org.acslifecycle.emulators.acs.AcsEmulatorConfig.defaults()
                        .withPort(acsPort)
                        .withAccessKey(acsAccessKey == null || acsAccessKey.isBlank() ? null : acsAccessKey.trim())
                        .withTls(org.acslifecycle.emulators.acs.AcsEmulatorConfig.TlsSource.generated(acsCertificatePem))
                        .withBearerMode(acsAcceptAnyBearer
                                ? org.acslifecycle.emulators.acs.AcsEmulatorConfig.BearerMode.ACCEPT_ANY
                                : org.acslifecycle.emulators.acs.AcsEmulatorConfig.BearerMode.REJECT);
        org.acslifecycle.emulators.acs.AcsIdentityEmulator acs =
                org.acslifecycle.emulators.acs.AcsIdentityEmulator.start(acsConfig);
        Runtime.getRuntime().addShutdownHook(new Thread(acs::close, "acs-emulator-shutdown"));
        // The connection string holds the emulator's key: printed because this is how a client gets it.
        System.out.println("ACS_CONNECTION_STRING=" + acs.connectionString());
        System.out.println("ACS_CERTIFICATE_PEM=" + acs.certificatePem().toAbsolutePath());
        // --- end ACS Identity emulator ---
        // --- start Service Bus emulator here ---
        org.acslifecycle.emulators.servicebus.ServiceBusEmulator serviceBus =
                org.acslifecycle.emulators.servicebus.ServiceBusEmulator.start(
                        org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions.of(
                                new org.acslifecycle.emulators.servicebus.topology.TopologyLoader().load(servicebusConfig),
                                servicebusPort));
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
