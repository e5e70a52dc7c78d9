package org.acslifecycle.app;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.SecretFile;
import org.acslifecycle.app.tokens.DevIssuer;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code local}: the embedded Service Bus and ACS emulators, the H2 ledger and the worker in one process,
 * with no Azure account and no Docker. {@code --demo} also publishes a realistic set of events, prints what
 * happened to each, and exits.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the worker on the embedded emulators and the H2 ledger (no Azure, no Docker).")
final class LocalCommand implements Callable<Integer> {

    /**
     * What a command in another terminal needs to reach this run's emulators, as the environment variables the
     * configuration reads (the ledger needs nothing: the same file URL reaches this process's H2, see
     * {@code LedgerSettings}).
     */
    private static final List<String> EMULATOR_KEYS = List.of(
            "servicebus.connection-string", "acs.connection-string", "acs.trusted-certificate-pem");

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--demo", description = "Publish a realistic set of events, print what happened to each, then exit.")
    boolean demo;

    @Option(names = "--servicebus-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the embedded Service Bus emulator (default: any free port).")
    int serviceBusPort;

    @Override
    public Integer call() throws Exception {
        Config config = configOptions.config();
        Path topologyFile = Path.of(config.optional("servicebus.topology").orElse("config/servicebus-config.json"));
        try (EmbeddedEmulators emulators = EmbeddedEmulators.start(EmbeddedEmulators.topology(topologyFile),
                serviceBusPort, AcsEmulatorConfig.defaults());
                DevIssuer issuer = DevIssuer.start(config.string("tokens.auth.user-claim"), Wiring.CLOCK)) {
            Config local = config.with(Map.of(
                    "servicebus.connection-string", emulators.serviceBus().connectionString(),
                    "acs.connection-string", emulators.acs().connectionString(),
                    "acs.trusted-certificate-pem", emulators.acs().certificatePem().toString())).with(tokenService(config, issuer));
            if (demo) {
                return runDemo(local, emulators, issuer);
            }
            // Written only now that the worker is about to run: dev-token mints for this run's issuer.
            Path keyFile = Path.of(config.string("tokens.dev-issuer.key-file"));
            issuer.writeKeyFile(keyFile);
            Path envFile = Path.of(config.string("local.env-file"));
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> clients = new LinkedHashMap<>();
            for (String key : EMULATOR_KEYS) {
                clients.put(Config.environmentName(key), local.string(key));
            }
            clients.forEach((name, value) -> out.println(name + "=" + value));
            out.flush();
            return RunCommand.runUntilStopped(local, worker -> {
                String tokenServiceUrl = "http://127.0.0.1:" + worker.tokenServicePort().orElseThrow() + "/v1/tokens";
                out.println("TOKEN_SERVICE_URL=" + tokenServiceUrl);
                out.println("DEV_ISSUER_KEY_FILE=" + keyFile.toAbsolutePath());
                clients.put("TOKEN_SERVICE_URL", tokenServiceUrl);
                writeEnvFile(envFile, clients);
                out.println();
                out.println("Operator commands run beside this worker: in another terminal, in this directory"
                        + " (the same configuration, so the same ledger):");
                out.println("  . " + envFile + "    # exports the connection strings above, for this run");
                out.println("  java -jar target/acs-lifecycle.jar publish --type user.onboarded --subject alice");
                out.println("  java -jar target/acs-lifecycle.jar ledger history alice    # also token, identity, dlq, ops, hold, deletions");
                out.flush();
            });
        }
    }

    /**
     * A POSIX shell file of {@code export NAME='value'} lines, to be sourced in the second terminal: the connection
     * strings hold {@code ;}, so the printed {@code KEY=value} lines cannot be sourced as they are. The emulators'
     * keys are throw-away, but keys still: owner-only.
     */
    private static void writeEnvFile(Path file, Map<String, String> variables) {
        StringBuilder text = new StringBuilder("# Written by 'local' for operator commands beside it: . ")
                .append(file).append('\n');
        variables.forEach((name, value) -> text.append("export ").append(name).append("='")
                .append(value.replace("'", "'\\''")).append("'\n"));
        try {
            SecretFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The token service is on in {@code local}, on the development issuer: the real validation path, with a
     * key this process made. {@code tokens.port} is kept if configured, else any free port.
     */
    private static Map<String, String> tokenService(Config config, DevIssuer issuer) {
        return Map.of(
                "tokens.port", config.optional("tokens.port").orElse("0"),
                "tokens.auth.issuer", issuer.issuer(),
                "tokens.auth.audience", issuer.audience(),
                "tokens.auth.jwks-url", issuer.jwksUrl().toString());
    }

    /** The demo runs on a ledger of its own, so it tells the same story every time. */
    private int runDemo(Config local, EmbeddedEmulators emulators, DevIssuer issuer) throws IOException, InterruptedException {
        Path ledgerDirectory = Files.createTempDirectory("acs-lifecycle-demo");
        Map<String, String> overrides = new java.util.HashMap<>(Demo.CONFIG);
        overrides.putAll(Map.of("ledger.url", LedgerSettings.h2File(ledgerDirectory.resolve("ledger")).jdbcUrl(),
                "http.port", "0", "tokens.port", "0"));
        Config demoConfig = local.with(overrides);
        WorkerSettings settings = WorkerSettings.from(demoConfig);
        PrintWriter out = spec.commandLine().getOut();
        try (Worker worker = Worker.start(settings, Wiring.CLOCK);
                ServiceBusSenderClient sender = ServiceBusClients.builder(settings.serviceBus()).sender()
                        .queueName(settings.serviceBus().queue()).buildClient()) {
            out.println("Demo: publishing events to the embedded Service Bus; the worker applies them to the embedded ACS.");
            out.println();
            Demo demo = new Demo(new EventPublisher(sender), worker.ledger(), worker.deletions(), emulators.serviceBus(),
                    settings.serviceBus().queue());
            boolean finished = demo.run(out, Duration.ofSeconds(90));
            out.println();
            finished &= demo.runBreaker(out, Demo.acsView(emulators.acs()), Duration.ofSeconds(60));
            out.println();
            finished &= demo.runTokenService(out, URI.create("http://127.0.0.1:" + worker.tokenServicePort().orElseThrow()
                    + "/v1/tokens"), issuer.minter(), Duration.ofSeconds(30));
            out.println();
            out.println("ACS now holds " + emulators.acs().identities().stream().filter(i -> i.deletedAt() == null).count()
                    + " live identities. To read one person's history from the demo's ledger:");
            out.println("  LEDGER_URL=" + settings.ledger().jdbcUrl() + " java -jar target/acs-lifecycle.jar ledger history bob");
            out.flush();
            return finished ? 0 : 1;
        }
    }
}
