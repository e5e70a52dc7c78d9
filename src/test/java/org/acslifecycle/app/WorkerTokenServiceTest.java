package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.acslifecycle.app.tokens.DevIssuer;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The token service as {@code local} runs it: inside the worker, on the development issuer, with a caller token
 * from {@code dev-token}; HR events through Service Bus change what it answers.
 */
class WorkerTokenServiceTest {

    @TempDir
    Path directory;

    @Test
    void aDevTokenGetsAnAcsTokenUntilTheSuspensionEventIsApplied() throws Exception {
        Path keyFile = directory.resolve("dev-issuer.json");
        try (DevIssuer issuer = DevIssuer.start("oid", Clock.systemUTC());
                LocalWorker local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")),
                        AcsEmulatorConfig.defaults(), Map.of(
                                "tokens.port", "0",
                                "tokens.auth.issuer", issuer.issuer(),
                                "tokens.auth.audience", issuer.audience(),
                                "tokens.auth.jwks-url", issuer.jwksUrl().toString()))) {
            issuer.writeKeyFile(keyFile);
            URI tokens = URI.create("http://127.0.0.1:" + local.worker.tokenServicePort().orElseThrow() + "/v1/tokens");
            Instant time = Instant.now().minusSeconds(60);
            local.publisher.publish(EventPublisher.cloudEvent("t-1", "/hr/test", "user.onboarded", "olga", time.toString(), null));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().person("olga")
                    .map(PersonRecord::acsUserId).flatMap(id -> id).isPresent());

            String callerToken = devToken(keyFile, "olga");
            HttpResponse<String> issued = ask(tokens, callerToken);
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(issued.body());
            assertThat(local.emulators.acs().inspectToken(body.path("token").asText()).valid()).isTrue();

            local.publisher.publish(EventPublisher.cloudEvent("t-2", "/hr/test", "user.suspended", "olga",
                    time.plusSeconds(1).toString(), null));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.worker.ledger().person("olga")
                    .map(r -> r.state().name().equals("SUSPENDED")).orElse(false));
            HttpResponse<String> refused = ask(tokens, callerToken);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("person-not-active");

            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + local.worker.healthPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("acs_lifecycle_tokens_requests_total{outcome=\"issued\"} 1.0")
                    .contains("acs_lifecycle_tokens_requests_total{outcome=\"person-not-active\"} 1.0");
        }
    }

    @Test
    void withoutTokensPortTheWorkerServesNoTokens() {
        try (LocalWorker local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")),
                AcsEmulatorConfig.defaults(), Map.of())) {
            assertThat(local.worker.tokenServicePort()).isEmpty();
        }
    }

    /** {@code dev-token --subject ...}, reading the key file as it would beside a running {@code local}. */
    private String devToken(Path keyFile, String subject) throws Exception {
        Path config = directory.resolve("dev-token.properties");
        Files.writeString(config, "tokens.dev-issuer.key-file=" + keyFile + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("dev-token", "--subject", subject, "--config", config.toString());
        assertThat(exit).as(err.toString()).isZero();
        return out.toString().trim();
    }

    private static HttpResponse<String> ask(URI tokens, String callerToken) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(tokens)
                .header("Authorization", "Bearer " + callerToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\": [\"chat\"]}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
