package org.acslifecycle.app;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig.BearerMode;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig.TlsSource;
import org.acslifecycle.emulators.entra.EntraEmulator;
import org.acslifecycle.emulators.entra.EntraEmulatorConfig;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code emulators}: runs the embedded emulators standalone, bound to 127.0.0.1, prints one
 * {@code KEY=value} line per thing a client needs, then serves until stopped.
 */
@Command(name = "emulators", mixinStandardHelpOptions = true,
        description = "Run the embedded Service Bus and ACS Identity emulators until stopped.")
final class EmulatorsCommand implements Callable<Integer> {

    @Option(names = "--acs-port", defaultValue = "0",
            description = "ACS Identity emulator HTTPS port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}")
    int acsPort;

    @Option(names = "--acs-access-key", defaultValue = "${env:ACS_EMULATOR_ACCESS_KEY}",
            description = "ACS access key (base64, at least 16 bytes); env ACS_EMULATOR_ACCESS_KEY; random if unset.")
    String acsAccessKey;

    @Option(names = "--acs-certificate-pem",
            description = "Where the ACS emulator writes its certificate (PEM); a temporary file if unset.")
    Path acsCertificatePem;

    @Option(names = "--acs-accept-any-bearer",
            description = "Permissive mode: accept any 'Authorization: Bearer' token instead of HMAC only.")
    boolean acsAcceptAnyBearer;

    @Option(names = "--servicebus-config", paramLabel = "FILE", defaultValue = "config/servicebus-config.json",
            description = "Service Bus topology in the official emulator's Config.json format (default: ${DEFAULT-VALUE}; "
                    + "the project's topology in the jar if the file does not exist).")
    Path servicebusConfig;

    @Option(names = "--servicebus-port", paramLabel = "PORT", defaultValue = "5672",
            description = "Service Bus AMQP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port). "
                    + "Pick another port if something (e.g. RabbitMQ) already listens on 5672.")
    int servicebusPort;

    @Option(names = "--entra",
            description = "Also run a local Microsoft Entra ID authority (one tenant, one app registration) whose "
                    + "tokens ACS and Service Bus validate; prints the worker's azure.* settings as environment lines.")
    boolean entra;

    @Option(names = "--entra-client-secret", defaultValue = "${env:ENTRA_EMULATOR_CLIENT_SECRET}",
            description = "The app registration's client secret; env ENTRA_EMULATOR_CLIENT_SECRET; random if unset.")
    String entraClientSecret;

    @Override
    public Integer call() throws Exception {
        EntraEmulator authority = null;
        if (entra) {
            String secret = entraClientSecret == null || entraClientSecret.isBlank()
                    ? UUID.randomUUID().toString() : entraClientSecret.trim();
            authority = EntraEmulator.start(EntraEmulatorConfig.of(UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(), secret));
            entraClientSecret = secret;
        }
        AcsEmulatorConfig acsConfig = AcsEmulatorConfig.defaults()
                .withPort(acsPort)
                .withAccessKey(acsAccessKey == null || acsAccessKey.isBlank() ? null : acsAccessKey.trim())
                .withTls(TlsSource.generated(acsCertificatePem))
                .withBearerMode(acsAcceptAnyBearer ? BearerMode.ACCEPT_ANY : BearerMode.REJECT);
        if (authority != null) {
            acsConfig = acsConfig.withEntraIssuer(authority.trustedIssuer());
        }
        EmbeddedEmulators emulators;
        try {
            ServiceBusEmulatorOptions serviceBus = ServiceBusEmulatorOptions.of(
                    EmbeddedEmulators.topology(servicebusConfig), servicebusPort);
            emulators = EmbeddedEmulators.start(authority == null ? serviceBus
                    : serviceBus.withEntraIssuer(authority.trustedIssuer()), acsConfig);
        } catch (RuntimeException e) {
            if (authority != null) {
                authority.close();
            }
            // A taken port or an unreadable topology: say which, as a bad argument would.
            System.err.println("Emulators not started: " + e.getMessage()
                    + " (see --servicebus-config, --servicebus-port and --acs-port)");
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EntraEmulator startedAuthority = authority;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulators.close();
            if (startedAuthority != null) {
                startedAuthority.close();
            }
            stopped.countDown();
        }, "emulators-shutdown"));
        // The connection strings hold the emulators' keys: printed because this is how a client gets them. Named as the
        // variables the worker and CLI read (acs.trusted-certificate-pem -> ACS_TRUSTED_CERTIFICATE_PEM).
        System.out.println("ACS_CONNECTION_STRING=" + emulators.acs().connectionString());
        System.out.println("ACS_TRUSTED_CERTIFICATE_PEM=" + emulators.acs().certificatePem().toAbsolutePath());
        System.out.println("SERVICEBUS_CONNECTION_STRING=" + emulators.serviceBus().connectionString());
        if (authority != null) {
            // The worker's keys as environment variables: with these (and no connection string) it runs on
            // Entra ID alone. The client secret is printed because this is how a client gets it.
            System.out.println("ACS_ENDPOINT=" + emulators.acs().endpoint());
            System.out.println("ACS_TRUSTED_CERTIFICATE_PEM=" + emulators.acs().certificatePem().toAbsolutePath());
            System.out.println("SERVICEBUS_NAMESPACE=127.0.0.1:" + emulators.serviceBus().port());
            System.out.println("SERVICEBUS_DEVELOPMENT_EMULATOR=true");
            System.out.println("AZURE_TENANT_ID=" + authority.tenantId());
            System.out.println("AZURE_CLIENT_ID=" + authority.clientIds().get(0));
            System.out.println("AZURE_CLIENT_SECRET=" + entraClientSecret);
            System.out.println("AZURE_AUTHORITY_HOST=" + authority.authorityHost());
            System.out.println("AZURE_TRUSTED_CERTIFICATE_PEM=" + authority.certificatePem().toAbsolutePath());
        }
        System.out.flush();
        stopped.await();
        return 0;
    }
}
