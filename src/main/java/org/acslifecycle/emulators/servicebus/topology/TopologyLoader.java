package org.acslifecycle.emulators.servicebus.topology;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reads the official Service Bus emulator's {@code Config.json} ({@code UserConfig.Namespaces[0]}), so one topology
 * file serves this emulator and Microsoft's container. {@code Logging} is read past; subscription rules become
 * {@link SubscriptionFilter}s, and rules it cannot honour (SQL filters, actions) are refused with a message naming
 * the rule.
 */
public final class TopologyLoader {

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Topology load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        }
    }

    public Topology load(InputStream in) throws IOException {
        ConfigFile config = mapper.readValue(in, ConfigFile.class);
        if (config.userConfig == null || config.userConfig.namespaces == null || config.userConfig.namespaces.isEmpty()) {
            throw new IOException("Config has no UserConfig.Namespaces");
        }
        if (config.userConfig.namespaces.size() > 1) {
            throw new IOException("Config has " + config.userConfig.namespaces.size() + " namespaces; exactly one is supported");
        }
        NamespaceJson ns = config.userConfig.namespaces.get(0);
        List<QueueDefinition> queues = ns.queues == null ? List.of()
                : ns.queues.stream().map(q -> new QueueDefinition(q.name, toSettings(q.properties))).toList();
        List<TopicDefinition> topics = ns.topics == null ? List.of() : ns.topics.stream().map(this::toTopic).toList();
        return new Topology(ns.name, queues, topics);
    }

    private TopicDefinition toTopic(TopicJson t) {
        PropertiesJson p = t.properties == null ? new PropertiesJson() : t.properties;
        List<SubscriptionDefinition> subs = t.subscriptions == null ? List.of()
                : t.subscriptions.stream().map(s -> new SubscriptionDefinition(s.name, toSettings(s.properties),
                        toRules(t.name + "/" + s.name, s.rules))).toList();
        return new TopicDefinition(t.name, Boolean.TRUE.equals(p.requiresDuplicateDetection),
                duration(p.duplicateDetectionHistoryTimeWindow, EntitySettings.DEFAULT_DUPLICATE_WINDOW),
                duration(p.defaultMessageTimeToLive, EntitySettings.DEFAULT_TTL), subs);
    }

    private static List<SubscriptionRule> toRules(String where, List<RuleJson> rules) {
        if (rules == null) {
            return List.of();
        }
        return rules.stream()
                .map(rule -> new SubscriptionRule(rule.name, toFilter(where + " rule " + rule.name, rule.properties)))
                .toList();
    }

    private static SubscriptionFilter toFilter(String where, RulePropertiesJson rule) {
        if (rule == null || rule.filterType == null) {
            throw new IllegalArgumentException(where + ": FilterType is required");
        }
        if (rule.action != null && rule.action.sqlExpression != null && !rule.action.sqlExpression.isBlank()) {
            throw new IllegalArgumentException(where + ": rule actions are not supported by this emulator");
        }
        switch (rule.filterType.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "correlation": {
                CorrelationJson c = rule.correlationFilter == null ? new CorrelationJson() : rule.correlationFilter;
                return new SubscriptionFilter.CorrelationFilter(c.correlationId, c.messageId, c.to, c.replyTo, c.label,
                        c.sessionId, c.replyToSessionId, c.contentType, c.properties);
            }
            case "sql": {
                try {
                    return SubscriptionFilter.sql(rule.sqlFilter == null ? null : rule.sqlFilter.sqlExpression);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            default:
                throw new IllegalArgumentException(where + ": unknown FilterType '" + rule.filterType + "'");
        }
    }

    private static EntitySettings toSettings(PropertiesJson p) {
        if (p == null) {
            return EntitySettings.defaults();
        }
        return new EntitySettings(
                duration(p.lockDuration, EntitySettings.DEFAULT_LOCK_DURATION),
                p.maxDeliveryCount == null ? EntitySettings.DEFAULT_MAX_DELIVERY_COUNT : p.maxDeliveryCount,
                Boolean.TRUE.equals(p.requiresSession),
                Boolean.TRUE.equals(p.requiresDuplicateDetection),
                duration(p.duplicateDetectionHistoryTimeWindow, EntitySettings.DEFAULT_DUPLICATE_WINDOW),
                Boolean.TRUE.equals(p.deadLetteringOnMessageExpiration),
                duration(p.defaultMessageTimeToLive, EntitySettings.DEFAULT_TTL),
                p.forwardTo, p.forwardDeadLetteredMessagesTo);
    }

    private static Duration duration(String iso, Duration fallback) {
        if (iso == null || iso.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(iso);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not an ISO-8601 duration: '" + iso + "'", e);
        }
    }

    // Jackson binding classes for the Config.json shape; PascalCase keys as the official schema spells them.

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ConfigFile {
        @JsonProperty("UserConfig") UserConfigJson userConfig;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class UserConfigJson {
        @JsonProperty("Namespaces") List<NamespaceJson> namespaces;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class NamespaceJson {
        @JsonProperty("Name") String name;
        @JsonProperty("Queues") List<QueueJson> queues;
        @JsonProperty("Topics") List<TopicJson> topics;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class QueueJson {
        @JsonProperty("Name") String name;
        @JsonProperty("Properties") PropertiesJson properties;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class TopicJson {
        @JsonProperty("Name") String name;
        @JsonProperty("Properties") PropertiesJson properties;
        @JsonProperty("Subscriptions") List<SubscriptionJson> subscriptions;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class SubscriptionJson {
        @JsonProperty("Name") String name;
        @JsonProperty("Properties") PropertiesJson properties;
        @JsonProperty("Rules") List<RuleJson> rules;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class RuleJson {
        @JsonProperty("Name") String name;
        @JsonProperty("Properties") RulePropertiesJson properties;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class RulePropertiesJson {
        @JsonProperty("FilterType") String filterType;
        @JsonProperty("CorrelationFilter") CorrelationJson correlationFilter;
        @JsonProperty("SqlFilter") SqlJson sqlFilter;
        @JsonProperty("Action") SqlJson action;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class CorrelationJson {
        @JsonProperty("CorrelationId") String correlationId;
        @JsonProperty("MessageId") String messageId;
        @JsonProperty("To") String to;
        @JsonProperty("ReplyTo") String replyTo;
        @JsonProperty("Label") String label;
        @JsonProperty("SessionId") String sessionId;
        @JsonProperty("ReplyToSessionId") String replyToSessionId;
        @JsonProperty("ContentType") String contentType;
        @JsonProperty("Properties") java.util.Map<String, Object> properties;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class SqlJson {
        @JsonProperty("SqlExpression") String sqlExpression;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class PropertiesJson {
        @JsonProperty("LockDuration") String lockDuration;
        @JsonProperty("MaxDeliveryCount") Integer maxDeliveryCount;
        @JsonProperty("RequiresSession") Boolean requiresSession;
        @JsonProperty("RequiresDuplicateDetection") Boolean requiresDuplicateDetection;
        @JsonProperty("DuplicateDetectionHistoryTimeWindow")
        @JsonAlias("DuplicateDetectionHistoryTimeToLive") String duplicateDetectionHistoryTimeWindow;
        @JsonProperty("DeadLetteringOnMessageExpiration") Boolean deadLetteringOnMessageExpiration;
        @JsonProperty("DefaultMessageTimeToLive") String defaultMessageTimeToLive;
        @JsonProperty("ForwardTo") String forwardTo;
        @JsonProperty("ForwardDeadLetteredMessagesTo") String forwardDeadLetteredMessagesTo;
    }
}
