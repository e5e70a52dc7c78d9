package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusRuleManagerClient;
import com.azure.messaging.servicebus.administration.models.CorrelationRuleFilter;
import com.azure.messaging.servicebus.administration.models.CreateRuleOptions;
import com.azure.messaging.servicebus.administration.models.RuleProperties;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionDefinition;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionFilter;
import org.acslifecycle.emulators.servicebus.topology.SubscriptionRule;
import org.acslifecycle.emulators.servicebus.topology.TopicDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 7: a topic gives every subscription its own copy and its own dead-letter queue; correlation filters route. */
class TopicTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(), List.of(
                TestTopologies.topic("outcomes", "audit", "billing"),
                TestTopologies.topic("delayed", "only"),
                new TopicDefinition("filtered", false, Duration.ofSeconds(20), Duration.ofHours(1), List.of(
                        new SubscriptionDefinition("deletions", TestTopologies.FAST, List.of(new SubscriptionRule("deletions-of-t1",
                                new SubscriptionFilter.CorrelationFilter(null, null, null, null, "identity.deleted", null, null,
                                        null, Map.of("tenant", "t1"))))),
                        new SubscriptionDefinition("everything", TestTopologies.FAST),
                        new SubscriptionDefinition("nothing", TestTopologies.FAST, List.of(
                                new SubscriptionRule("never", new SubscriptionFilter.FalseFilter()))))),
                TestTopologies.topic("managed", "rules"))));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    private static ServiceBusReceiverClient subscription(String topic, String name, SubQueue subQueue) {
        return TestTopologies.client(emulator).receiver().topicName(topic).subscriptionName(name).subQueue(subQueue)
                .disableAutoComplete().maxAutoLockRenewDuration(Duration.ZERO).buildClient();
    }

    @Test
    void everySubscriptionGetsItsOwnCopyAndItsOwnDeadLetterQueue() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().topicName("outcomes").buildClient();
             ServiceBusReceiverClient audit = subscription("outcomes", "audit", SubQueue.NONE);
             ServiceBusReceiverClient billing = subscription("outcomes", "billing", SubQueue.NONE);
             ServiceBusReceiverClient auditDlq = subscription("outcomes", "audit", SubQueue.DEAD_LETTER_QUEUE)) {
            sender.sendMessage(new ServiceBusMessage("provisioned").setMessageId("out-1"));

            ServiceBusReceivedMessage inAudit = audit.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
            ServiceBusReceivedMessage inBilling = billing.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
            audit.deadLetter(inAudit, new DeadLetterOptions().setDeadLetterReason("AuditRejected"));
            billing.complete(inBilling);

            assertThat(inAudit.getMessageId()).isEqualTo("out-1");
            assertThat(inBilling.getMessageId()).isEqualTo("out-1");
            ServiceBusReceivedMessage dead = auditDlq.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
            assertThat(dead.getDeadLetterReason()).isEqualTo("AuditRejected");
            auditDlq.complete(dead);
            assertThat(emulator.deadLetters("outcomes/subscriptions/billing")).isEmpty();
            assertThat(emulator.messageCount("outcomes/subscriptions/billing")).isZero();
        }
    }

    @Test
    void correlationFilterLetsThroughOnlyMatchingSubjectAndProperties() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().topicName("filtered").buildClient()) {
            ServiceBusMessage match = new ServiceBusMessage("a").setMessageId("match").setSubject("identity.deleted");
            match.getApplicationProperties().put("tenant", "t1");
            ServiceBusMessage otherTenant = new ServiceBusMessage("b").setMessageId("other-tenant").setSubject("identity.deleted");
            otherTenant.getApplicationProperties().put("tenant", "t2");
            ServiceBusMessage otherSubject = new ServiceBusMessage("c").setMessageId("other-subject").setSubject("identity.provisioned");
            otherSubject.getApplicationProperties().put("tenant", "t1");
            sender.sendMessages(List.of(match, otherTenant, otherSubject));
        }

        assertThat(emulator.messages("filtered/subscriptions/deletions")).extracting(InspectedMessage::messageId)
                .containsExactly("match");
        assertThat(emulator.messages("filtered/subscriptions/everything")).extracting(InspectedMessage::messageId)
                .containsExactly("match", "other-tenant", "other-subject");
        assertThat(emulator.messages("filtered/subscriptions/nothing")).isEmpty();
    }

    @Test
    void rulesManagedThroughTheSdkChangeWhatTheSubscriptionReceives() throws Exception {
        try (ServiceBusRuleManagerClient rules = TestTopologies.client(emulator).ruleManager().topicName("managed")
                .subscriptionName("rules").buildClient();
             ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().topicName("managed").buildClient()) {
            rules.createRule("only-deleted", new CreateRuleOptions(new CorrelationRuleFilter().setLabel("identity.deleted")));
            rules.deleteRule("$Default");

            assertThat(rules.listRules().stream().map(RuleProperties::getName)).containsExactly("only-deleted");
            assertThat(rules.listRules().stream().findFirst().orElseThrow().getFilter())
                    .isInstanceOfSatisfying(CorrelationRuleFilter.class, f -> assertThat(f.getLabel()).isEqualTo("identity.deleted"));
            sender.sendMessage(new ServiceBusMessage("x").setMessageId("deleted").setSubject("identity.deleted"));
            sender.sendMessage(new ServiceBusMessage("y").setMessageId("provisioned").setSubject("identity.provisioned"));
        }

        assertThat(emulator.messages("managed/subscriptions/rules")).extracting(InspectedMessage::messageId)
                .containsExactly("deleted");
    }

    @Test
    void scheduledTopicMessageReachesSubscriptionsWhenDue() {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().topicName("delayed").buildClient();
             ServiceBusReceiverClient only = subscription("delayed", "only", SubQueue.NONE)) {
            sender.scheduleMessage(new ServiceBusMessage("retry").setMessageId("retry-1"), OffsetDateTime.now().plusSeconds(1));

            assertThat(only.receiveMessages(1, Duration.ofMillis(500)).stream().toList()).isEmpty();
            ServiceBusReceivedMessage due = only.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
            assertThat(due.getMessageId()).isEqualTo("retry-1");
            only.complete(due);
        }
    }
}
