package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.QueueDefinition;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionFilter;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionRule;
import org.acslifecycle.emulators.servicebus.topology.TopicDefinition;
import org.acslifecycle.emulators.servicebus.topology.Topology;
import org.acslifecycle.emulators.servicebus.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

/** Priority 2: the official emulator's Config.json format, and the project's own topology file. */
class TopologyLoaderTest {
    private final TopologyLoader loader = new TopologyLoader();

    private Topology load(String json) throws Exception {
        return loader.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void projectTopologyHasTheLifecycleQueueItsSessionTwinAndTheOutcomesTopic() throws Exception {
        Topology topology = loader.load(Path.of("config/servicebus-config.json"));

        assertThat(topology.queues()).extracting(QueueDefinition::name)
                .containsExactly("lifecycle-events", "lifecycle-events-sessions");
        assertThat(topology.queues().get(1).settings().requiresSession()).isTrue();
        QueueDefinition events = topology.queues().get(0);
        EntitySettings s = events.settings();
        assertThat(s.requiresSession()).isFalse();
        assertThat(s.requiresDuplicateDetection()).isTrue();
        assertThat(s.lockDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxDeliveryCount()).isEqualTo(10);
        assertThat(s.deadLetteringOnMessageExpiration()).isTrue();
        TopicDefinition outcomes = topology.topics().get(0);
        assertThat(outcomes.name()).isEqualTo("lifecycle-outcomes");
        assertThat(outcomes.requiresDuplicateDetection()).isTrue();
        assertThat(outcomes.subscriptions()).extracting(sub -> sub.name()).containsExactly("audit");
    }

    @Test
    void officialSampleWithForwardingRulesAndLoggingLoadsWithDefaultsForMissingProperties() throws Exception {
        Topology topology = load("""
                {"UserConfig": {
                  "Namespaces": [{"Name": "sbemulatorns",
                    "Queues": [{"Name": "queue.1", "Properties": {"DeadLetteringOnMessageExpiration": false,
                        "DefaultMessageTimeToLive": "PT1H", "DuplicateDetectionHistoryTimeWindow": "PT20S",
                        "ForwardDeadLetteredMessagesTo": "", "ForwardTo": "", "LockDuration": "PT1M",
                        "MaxDeliveryCount": 3, "RequiresDuplicateDetection": false, "RequiresSession": false}},
                      {"Name": "bare"}],
                    "Topics": [{"Name": "topic.1", "Properties": {"DefaultMessageTimeToLive": "PT1H",
                        "DuplicateDetectionHistoryTimeWindow": "PT20S", "RequiresDuplicateDetection": false},
                      "Subscriptions": [{"Name": "subscription.1", "Properties": {"LockDuration": "PT1M",
                          "MaxDeliveryCount": 3, "RequiresSession": false},
                        "Rules": [{"Name": "app-prop-filter-1", "Properties": {"FilterType": "Correlation",
                          "CorrelationFilter": {"ContentType": "application/text", "Properties": {"prop1": "value1"}}}}]}]}]}],
                  "Logging": {"Type": "File"}}}
                """);

        assertThat(topology.queues()).extracting(QueueDefinition::name).containsExactly("queue.1", "bare");
        assertThat(topology.queues().get(1).settings()).isEqualTo(EntitySettings.defaults());
        assertThat(topology.topics().get(0).subscriptions().get(0).settings().lockDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(topology.topics().get(0).subscriptions().get(0).rules()).containsExactly(new SubscriptionRule(
                "app-prop-filter-1", new SubscriptionFilter.CorrelationFilter(null, null, null, null, null, null, null,
                        "application/text", java.util.Map.of("prop1", "value1"))));
    }

    @Test
    void sqlFilterIsRefusedRatherThanSilentlyMatchingEverything() {
        assertThatThrownBy(() -> load("""
                {"UserConfig": {"Namespaces": [{"Name": "sbemulatorns", "Queues": [],
                  "Topics": [{"Name": "t", "Subscriptions": [{"Name": "s", "Rules": [{"Name": "r1",
                    "Properties": {"FilterType": "Sql", "SqlFilter": {"SqlExpression": "sys.Label = 'x'"}}}]}]}]}]}}
                """)).hasMessageContaining("t/s rule r1").hasMessageContaining("SQL filters");
    }

    @Test
    void invalidDurationIsReportedWithTheValue() {
        assertThatThrownBy(() -> load("""
                {"UserConfig": {"Namespaces": [{"Name": "sbemulatorns",
                  "Queues": [{"Name": "q", "Properties": {"LockDuration": "30 seconds"}}], "Topics": []}]}}
                """)).hasMessageContaining("30 seconds");
    }

    @Test
    void duplicateEntityNamesAreRejectedCaseInsensitively() {
        assertThatThrownBy(() -> load("""
                {"UserConfig": {"Namespaces": [{"Name": "sbemulatorns",
                  "Queues": [{"Name": "Orders"}, {"Name": "orders"}], "Topics": []}]}}
                """)).hasMessageContaining("Duplicate");
    }
}
