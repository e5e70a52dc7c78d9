package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.acslifecycle.app.tokens.DevIssuer;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the alert rules in {@code infra/monitoring/} name only what a running worker exports.
 *
 * <p>A worker on the emulators gets an onboarding, a suspension, an offboarding, a poison message and one
 * unauthenticated token request, so that the meters that appear on first use exist; then {@code /metrics} is
 * scraped once. What is checked, crudely (no PromQL parser): every token in the files that looks like one of our
 * metric names ({@code acs_lifecycle_…}, {@code jvm_…}, {@code process_…}, {@code system_…}) is a sample name in
 * the scrape (or a metric family's name from its {@code # TYPE} line, as prose in descriptions uses), and every label matched or grouped on right after such a name ({@code name{label="…"}}) is a label
 * of that metric's samples. Not checked: label values (an {@code outcome="429"} series exists only after a 429),
 * labels in {@code by (…)} clauses, whether an expression is valid PromQL ({@code promtool check rules} does that
 * in {@code .ci/run}) or means what it should.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringContractTest {

    private static final Path DASHBOARD = Path.of("infra/monitoring/dashboard.json");
    private static final Path ALERTS = Path.of("infra/monitoring/alerts.yml");
    private static final Pattern METRIC_NAME = Pattern.compile(
            "\\b((?:acs_lifecycle|jvm|process|system)_[a-z0-9_]*[a-z0-9])\\b(\\{[^}]*})?");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    /** Labels Prometheus adds when it scrapes (target labels), not the worker. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "pod", "namespace", "revision", "replica");

    private DevIssuer issuer;
    private LocalWorker local;
    /** Sample name → the label names seen on it. */
    private final Map<String, Set<String>> exported = new HashMap<>();

    @BeforeAll
    void startAWorkerDriveTrafficAndScrape(@TempDir Path directory) throws Exception {
        issuer = DevIssuer.start("oid", Clock.systemUTC());
        local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), AcsEmulatorConfig.defaults(), Map.of(
                "tokens.port", "0",
                "tokens.auth.issuer", issuer.issuer(),
                "tokens.auth.audience", issuer.audience(),
                "tokens.auth.jwks-url", issuer.jwksUrl().toString()));
        Instant time = Instant.now().minusSeconds(600);
        publish("mc-1", "user.onboarded", "ann", time);
        publish("mc-2", "user.onboarded", "ben", time);
        await().atMost(Duration.ofSeconds(20)).until(() -> hasIdentity("ann") && hasIdentity("ben"));
        publish("mc-3", "user.suspended", "ann", time.plusSeconds(60));
        publish("mc-4", "user.offboarded", "ben", time.plusSeconds(60));
        local.publisher.publish("not json".getBytes(StandardCharsets.UTF_8), "mc-poison");
        await().atMost(Duration.ofSeconds(20)).until(() -> state("ann") == PersonState.SUSPENDED
                && state("ben") == PersonState.DELETED && local.journalDone()
                && local.emulators.serviceBus().deadLetters("lifecycle-events").size() == 1);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + local.worker.tokenServicePort().orElseThrow() + "/v1/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);

        // The token service counts a request just after answering it: scrape once it has.
        HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local.worker.healthPort()
                + "/metrics")).build();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(metrics, HttpResponse.BodyHandlers.ofString())
                .body().contains("acs_lifecycle_tokens_latency_seconds"));
        String scrape = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/monitoring-scrape.txt"), scrape);
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                // A histogram's or summary's own name (prose names it; queries use its samples' names).
                exported.computeIfAbsent(line.split(" ")[2], name -> new HashSet<>());
            }
            Matcher m = sample.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                Set<String> labels = exported.computeIfAbsent(m.group(1), name -> new HashSet<>());
                if (m.group(3) != null) {
                    Matcher l = label.matcher(m.group(3));
                    while (l.find()) {
                        labels.add(l.group(1));
                    }
                }
            }
        }
    }

    @AfterAll
    void stop() {
        if (local != null) {
            local.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void theDashboardNamesOnlyExportedMetricsAndLabels() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        dashboard.path("templating").path("list").forEach(variable -> {
            if (variable.path("query").isTextual()) {
                expressions.add(variable.path("query").asText());
            } else if (variable.path("query").has("query")) {
                expressions.add(variable.path("query").path("query").asText());
            }
        });
        assertThat(expressions).as("PromQL expressions in the dashboard").hasSizeGreaterThan(10);
        assertThat(unknownNames(String.join("\n", expressions))).as("metrics or labels the worker does not export")
                .isEmpty();
        assertThat(dashboard.path("panels").findValues("datasource")).as("every panel's datasource")
                .allSatisfy(ds -> assertThat(ds.toString()).contains("${datasource}"));
    }

    @Test
    void theAlertRulesNameOnlyExportedMetricsAndLabels() throws Exception {
        String rules = Files.readString(ALERTS);
        assertThat(rules).contains("alert:");
        assertThat(unknownNames(rules)).as("metrics or labels the worker does not export").isEmpty();
    }

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookSectionThatExists() throws Exception {
        String runbook = Files.readString(Path.of("docs/runbook.md"));
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#{2,4} (.+)$").matcher(runbook);
        while (heading.find()) {
            anchors.add(heading.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
        }
        // One block per rule: from "- alert:" to the next one.
        String[] blocks = Files.readString(ALERTS).split("(?m)^\\s*- alert:");
        assertThat(blocks.length - 1).as("alert rules").isGreaterThanOrEqualTo(6);
        for (int i = 1; i < blocks.length; i++) {
            String block = blocks[i];
            String name = block.lines().findFirst().orElseThrow().trim();
            assertThat(block).as(name).contains("summary:").contains("description:").contains("runbook_url:");
            Matcher url = Pattern.compile("runbook_url:\\s*\"?[^\"#\\s]*docs/runbook\\.md#([a-z0-9-]+)").matcher(block);
            assertThat(url.find()).as(name + " points at a section of docs/runbook.md").isTrue();
            assertThat(anchors).as(name + "'s runbook section").contains(url.group(1));
        }
    }

    /** The metric names and selector labels in {@code text} the scrape does not have, sorted. */
    private Set<String> unknownNames(String text) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (!exported.containsKey(name)) {
                unknown.add(name);
                continue;
            }
            if (m.group(2) != null) {
                Matcher l = MATCHER_LABEL.matcher(m.group(2));
                while (l.find()) {
                    if (!TARGET_LABELS.contains(l.group(1)) && !exported.get(name).contains(l.group(1))) {
                        unknown.add(name + "{" + l.group(1) + "}");
                    }
                }
            }
        }
        return unknown;
    }

    private void publish(String id, String type, String subject, Instant time) {
        local.publisher.publish(EventPublisher.cloudEvent(id, "/hr/test", type, subject, time.toString(), null));
    }

    private boolean hasIdentity(String subject) {
        return local.worker.ledger().person(subject).flatMap(PersonRecord::acsUserId).isPresent();
    }

    private PersonState state(String subject) {
        return local.worker.ledger().person(subject).map(PersonRecord::state).orElse(null);
    }
}
