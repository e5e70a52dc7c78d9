package org.acslifecycle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One source of truth for the Service Bus entities: {@code infra/entities.json} is what {@code infra/main.bicep}
 * deploys (ARM property names), {@code config/servicebus-config.json} is what the emulators serve (the official
 * emulator's Config.json, the same names with a capital first letter). They must agree on every setting, both
 * ways, except that the emulator caps a time to live at one hour: its TTL must be min(deployed TTL, PT1H).
 */
class EntitySettingsAgreementTest {

    private static final Path ENTITIES = Path.of("infra", "entities.json");
    private static final Path TOPOLOGY = Path.of("config", "servicebus-config.json");
    private static final Path WORKER_DEFAULTS = Path.of("config", "local.properties");
    private static final Path INFRA = Path.of("infra");
    /** Microsoft's Service Bus emulator refuses a longer TTL (its documented limits). */
    private static final Duration EMULATOR_MAX_TTL = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deployedEntitiesAgreeWithTheEmulatorTopology() {
        assertThat(disagreements(read(ENTITIES), read(TOPOLOGY))).isEmpty();
    }

    @Test
    void aDifferentLockDurationIsADisagreement() {
        ObjectNode entities = read(ENTITIES).deepCopy();
        ((ObjectNode) entities.at("/queue/properties")).put("lockDuration", "PT2M");

        assertThat(disagreements(entities, read(TOPOLOGY))).containsExactly(
                "queue lifecycle-events: lockDuration is PT2M in infra/entities.json but PT30S in config/servicebus-config.json");
    }

    @Test
    void aSettingOnOneSideOnlyIsADisagreement() {
        ObjectNode entities = read(ENTITIES).deepCopy();
        ((ObjectNode) entities.at("/queue/properties")).remove("requiresDuplicateDetection");

        assertThat(disagreements(entities, read(TOPOLOGY))).containsExactly(
                "queue lifecycle-events: requiresDuplicateDetection is set only in config/servicebus-config.json");
    }

    @Test
    void anEmulatorTtlBelowTheCappedDeployedTtlIsADisagreement() {
        ObjectNode topology = read(TOPOLOGY).deepCopy();
        ((ObjectNode) topology.at("/UserConfig/Namespaces/0/Queues/0/Properties")).put("DefaultMessageTimeToLive", "PT30M");

        assertThat(disagreements(read(ENTITIES), topology)).containsExactly(
                "queue lifecycle-events: defaultMessageTimeToLive is P7D in infra/entities.json, so PT1H (the emulator's "
                        + "cap) is expected in config/servicebus-config.json, but it is PT30M");
    }

    @Test
    void aRenamedSubscriptionIsADisagreement() {
        ObjectNode entities = read(ENTITIES).deepCopy();
        ((ObjectNode) entities.at("/outcomesTopic/subscriptions/0")).put("name", "archive");

        assertThat(disagreements(entities, read(TOPOLOGY))).containsExactly(
                "topic lifecycle-outcomes: subscriptions are [archive] in infra/entities.json but [audit] in config/servicebus-config.json");
    }

    @Test
    void theWorkerDefaultsNameTheDeployedEntities() throws IOException {
        Properties defaults = new Properties();
        try (Reader in = Files.newBufferedReader(WORKER_DEFAULTS)) {
            defaults.load(in);
        }
        JsonNode entities = read(ENTITIES);

        assertThat(defaults.getProperty("servicebus.queue")).isEqualTo(entities.at("/queue/name").asText());
        assertThat(defaults.getProperty("servicebus.outcomes-topic")).isEqualTo(entities.at("/outcomesTopic/name").asText());
        assertThat(Boolean.parseBoolean(defaults.getProperty("servicebus.sessions")))
                .isEqualTo(entities.at("/queue/properties/requiresSession").asBoolean());
    }

    /**
     * The session-mode tests and servicebus.sessions=true run on the session queue: it must be the lifecycle queue
     * with sessions, nothing else, or they would test another queue than the one deployed.
     */
    @Test
    void theSessionQueueIsTheLifecycleQueueWithSessions() {
        JsonNode entities = read(ENTITIES);
        ObjectNode withSessions = entities.at("/queue/properties").deepCopy();
        withSessions.put("requiresSession", true);

        assertThat(entities.at("/queue/properties/requiresSession").asBoolean()).as("the lifecycle queue has no sessions")
                .isFalse();
        assertThat(entities.at("/sessionQueue/properties")).isEqualTo(withSessions);
        assertThat(entities.at("/sessionQueue/name").asText()).isNotEqualTo(entities.at("/queue/name").asText());
    }

    @Test
    void aMissingSessionQueueIsADisagreement() {
        ObjectNode topology = read(TOPOLOGY).deepCopy();
        ((ArrayNode) topology.at("/UserConfig/Namespaces/0/Queues")).remove(1);

        assertThat(disagreements(read(ENTITIES), topology)).containsExactly(
                "namespace: queues are [lifecycle-events, lifecycle-events-sessions] in infra/entities.json but "
                        + "[lifecycle-events] in config/servicebus-config.json");
    }

    /** Guards the premise: the Bicep deploys entities.json as it is, and types no entity setting of its own. */
    @Test
    void theBicepTakesEverySettingFromEntitiesJson() throws IOException {
        assertThat(Files.readString(INFRA.resolve("main.bicep"))).contains("loadJsonContent('entities.json')");
        Pattern typedSetting = Pattern.compile("(?m)^\\s*(" + String.join("|", settingNames(read(ENTITIES))) + ")\\s*:");
        try (Stream<Path> files = Files.walk(INFRA)) {
            List<Path> bicep = files.filter(f -> f.toString().endsWith(".bicep")).toList();
            assertThat(bicep).isNotEmpty();
            for (Path file : bicep) {
                assertThat(typedSetting.matcher(Files.readString(file)).find())
                        .as("%s sets an entity property itself instead of taking it from entities.json", file).isFalse();
            }
        }
    }

    // ---- the comparison

    static List<String> disagreements(JsonNode entities, JsonNode topology) {
        List<String> found = new ArrayList<>();
        JsonNode namespaces = topology.at("/UserConfig/Namespaces");
        if (namespaces.size() != 1) {
            found.add("config/servicebus-config.json should have exactly one namespace, has " + namespaces.size());
            return found;
        }
        JsonNode namespace = namespaces.get(0);
        List<JsonNode> queues = List.of(entities.get("queue"), entities.get("sessionQueue"));
        JsonNode topic = entities.get("outcomesTopic");

        if (sameNames("namespace", queues, namespace.path("Queues"), "queues", found) != null) {
            for (JsonNode queue : queues) {
                compare("queue " + queue.get("name").asText(), queue.get("properties"),
                        byName(namespace.path("Queues"), queue.get("name").asText()).path("Properties"), found);
            }
        }
        JsonNode emulatorTopic = sameNames("namespace", List.of(topic), namespace.path("Topics"), "topics", found);
        if (emulatorTopic != null) {
            String what = "topic " + topic.get("name").asText();
            compare(what, topic.get("properties"), emulatorTopic.path("Properties"), found);
            List<JsonNode> subscriptions = new ArrayList<>();
            topic.get("subscriptions").forEach(subscriptions::add);
            sameNames(what, subscriptions, emulatorTopic.path("Subscriptions"), "subscriptions", found);
            for (JsonNode subscription : subscriptions) {
                JsonNode emulatorSubscription = byName(emulatorTopic.path("Subscriptions"), subscription.get("name").asText());
                if (emulatorSubscription != null) {
                    compare(what + " subscription " + subscription.get("name").asText(), subscription.get("properties"),
                            emulatorSubscription.path("Properties"), found);
                }
            }
        }
        return found;
    }

    /** Notes a disagreement unless both sides name the same entities; returns the emulator's entity when there is one. */
    private static JsonNode sameNames(String where, List<JsonNode> deployed, JsonNode emulator, String kind, List<String> found) {
        TreeSet<String> deployedNames = new TreeSet<>();
        deployed.forEach(node -> deployedNames.add(node.get("name").asText()));
        TreeSet<String> emulatorNames = new TreeSet<>();
        emulator.forEach(node -> emulatorNames.add(node.path("Name").asText()));
        if (!deployedNames.equals(emulatorNames)) {
            found.add(where + ": " + kind + " are " + deployedNames + " in infra/entities.json but " + emulatorNames
                    + " in config/servicebus-config.json");
            return null;
        }
        return deployed.isEmpty() ? null : byName(emulator, deployed.get(0).get("name").asText());
    }

    private static JsonNode byName(JsonNode emulatorEntities, String name) {
        for (JsonNode node : emulatorEntities) {
            if (node.path("Name").asText().equals(name)) {
                return node;
            }
        }
        return null;
    }

    /** Both ways: every deployed setting in the emulator's, every emulator setting (but empty ones) deployed. */
    private static void compare(String what, JsonNode deployed, JsonNode emulator, List<String> found) {
        TreeSet<String> keys = new TreeSet<>();
        deployed.fieldNames().forEachRemaining(keys::add);
        for (Iterator<String> names = emulator.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!isUnset(emulator.get(name))) {
                keys.add(decapitalize(name));
            }
        }
        for (String key : keys) {
            JsonNode ours = deployed.get(key);
            JsonNode theirs = emulator.get(capitalize(key));
            if (ours == null || isUnset(theirs)) {
                found.add(what + ": " + key + " is set only in "
                        + (ours == null ? "config/servicebus-config.json" : "infra/entities.json"));
            } else if (key.endsWith("TimeToLive")) {
                Duration expected = min(Duration.parse(ours.asText()), EMULATOR_MAX_TTL);
                if (!Duration.parse(theirs.asText()).equals(expected)) {
                    found.add(what + ": " + key + " is " + ours.asText() + " in infra/entities.json, so " + expected
                            + (expected.equals(EMULATOR_MAX_TTL) ? " (the emulator's cap)" : "")
                            + " is expected in config/servicebus-config.json, but it is " + theirs.asText());
                }
            } else if (!sameValue(ours, theirs)) {
                found.add(what + ": " + key + " is " + ours.asText() + " in infra/entities.json but " + theirs.asText()
                        + " in config/servicebus-config.json");
            }
        }
    }

    /** ISO-8601 durations compare by length (PT60S = PT1M); everything else by JSON value. */
    private static boolean sameValue(JsonNode ours, JsonNode theirs) {
        if (ours.isTextual() && theirs.isTextual() && ours.asText().startsWith("P") && theirs.asText().startsWith("P")) {
            return Duration.parse(ours.asText()).equals(Duration.parse(theirs.asText()));
        }
        return ours.equals(theirs);
    }

    /** The emulator's Config.json writes "" for a forward it does not set. */
    private static boolean isUnset(JsonNode value) {
        return value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty());
    }

    private static List<String> settingNames(JsonNode entities) {
        TreeSet<String> names = new TreeSet<>();
        entities.at("/queue/properties").fieldNames().forEachRemaining(names::add);
        entities.at("/sessionQueue/properties").fieldNames().forEachRemaining(names::add);
        entities.at("/outcomesTopic/properties").fieldNames().forEachRemaining(names::add);
        entities.at("/outcomesTopic/subscriptions").forEach(s -> s.get("properties").fieldNames().forEachRemaining(names::add));
        return List.copyOf(names);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String decapitalize(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String capitalize(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
