package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.emulators.servicebus.topology.QueueDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Priority 4: sessions through the session receiver and the session processor. */
class SessionTest {
    private static ServiceBusEmulator emulator;
    private static int queueCounter;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        List<QueueDefinition> queues = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queues.add(TestTopologies.queue("s" + i, TestTopologies.FAST.withRequiresSession(true)
                    .withLockDuration(Duration.ofSeconds(2))));
        }
        queues.add(TestTopologies.queue("s-renew", TestTopologies.FAST.withRequiresSession(true)
                .withLockDuration(Duration.ofSeconds(4))));
        emulator = TestTopologies.start(TestTopologies.of(queues, List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    private static synchronized String freshQueue() {
        return "s" + queueCounter++;
    }

    private ServiceBusSenderClient sender(String queue) {
        ServiceBusSenderClient client = TestTopologies.client(emulator).sender().queueName(queue).buildClient();
        clients.add(client);
        return client;
    }

    private ServiceBusSessionReceiverClient sessions(String queue, Duration autoRenew) {
        ServiceBusSessionReceiverClient client = TestTopologies.client(emulator).sessionReceiver().queueName(queue)
                .disableAutoComplete().maxAutoLockRenewDuration(autoRenew).buildClient();
        clients.add(client);
        return client;
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    private static ServiceBusMessage inSession(String session, String body) {
        return new ServiceBusMessage(body).setSessionId(session);
    }

    @Test
    void namedSessionDeliversOnlyItsMessagesInFifoOrder() {
        String q = freshQueue();
        ServiceBusSenderClient sender = sender(q);
        for (int i = 0; i < 5; i++) {
            sender.sendMessage(inSession("alice", "a" + i));
            sender.sendMessage(inSession("bob", "b" + i));
        }
        ServiceBusReceiverClient alice = track(sessions(q, Duration.ZERO).acceptSession("alice"));

        List<ServiceBusReceivedMessage> got = alice.receiveMessages(10, Duration.ofSeconds(3)).stream().toList();

        assertThat(alice.getSessionId()).isEqualTo("alice");
        assertThat(got).extracting(m -> m.getBody().toString()).containsExactly("a0", "a1", "a2", "a3", "a4");
        assertThat(got).allSatisfy(m -> assertThat(m.getSessionId()).isEqualTo("alice"));
        got.forEach(alice::complete);
    }

    @Test
    void nextAvailableSessionIsTheOneWithTheOldestMessage() {
        String q = freshQueue();
        ServiceBusSenderClient sender = sender(q);
        sender.sendMessage(inSession("first", "1"));
        sender.sendMessage(inSession("second", "2"));

        ServiceBusReceiverClient next = track(sessions(q, Duration.ZERO).acceptNextSession());

        assertThat(next.getSessionId()).isEqualTo("first");
    }

    @Test
    void sessionLockedByOneReceiverCannotBeAcceptedByAnother() {
        String q = freshQueue();
        sender(q).sendMessage(inSession("locked", "x"));
        track(sessions(q, Duration.ofMinutes(1)).acceptSession("locked"));

        // The SDK surfaces this one as the AMQP exception itself, not wrapped in a ServiceBusException.
        assertThatThrownBy(() -> sessions(q, Duration.ZERO).acceptSession("locked"))
                .isInstanceOfSatisfying(AmqpException.class,
                        e -> assertThat(e.getErrorCondition()).isEqualTo(AmqpErrorCondition.SESSION_CANNOT_BE_LOCKED));
    }

    @Test
    void nextAvailableSessionWaitsThenTimesOutWhenNoSessionHasMessages() {
        String q = freshQueue();
        ServiceBusSessionReceiverClient receiver = track(new com.azure.messaging.servicebus.ServiceBusClientBuilder()
                .connectionString(emulator.connectionString())
                .retryOptions(new com.azure.core.amqp.AmqpRetryOptions().setTryTimeout(Duration.ofSeconds(3)))
                .sessionReceiver().queueName(q).buildClient());
        long started = System.nanoTime();

        assertThatThrownBy(receiver::acceptNextSession).hasStackTraceContaining("com.microsoft:timeout");

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMs).as("the broker held the attach instead of failing at once").isGreaterThan(1_500);
    }

    @Test
    void idleSessionProcessorWaitsOnTheBrokerInsteadOfSpinning() throws Exception {
        String q = freshQueue();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ServiceBusProcessorClient processor = new com.azure.messaging.servicebus.ServiceBusClientBuilder()
                .connectionString(emulator.connectionString())
                .retryOptions(new com.azure.core.amqp.AmqpRetryOptions().setTryTimeout(Duration.ofSeconds(2)))
                .sessionProcessor().queueName(q).maxConcurrentSessions(2).disableAutoComplete()
                .processMessage(ctx -> ctx.complete())
                .processError((ServiceBusErrorContext ctx) -> errors.add(ctx.getException()))
                .buildProcessorClient();
        long before = emulator.receiveLinkAttaches();
        processor.start();
        try {
            Thread.sleep(5_000);
        } finally {
            processor.close();
        }
        long attaches = emulator.receiveLinkAttaches() - before;

        // The SDK asks the broker to hold each attach for tryTimeout - 1 s = 1 s, so each of the 2 slots
        // re-attaches about once a second: ~10 in 5 s. A processor spinning on instant refusals makes hundreds.
        assertThat(attaches).isBetween(4L, 20L);
        assertThat(errors).isEmpty();
    }

    @Test
    void scheduledMessageOfASessionReachesAWaitingReceiverWhenDue() {
        String q = freshQueue();
        sender(q).scheduleMessage(inSession("retry-user", "retry"), OffsetDateTime.now().plusSeconds(1));
        ServiceBusSessionReceiverClient receiver = track(new com.azure.messaging.servicebus.ServiceBusClientBuilder()
                .connectionString(emulator.connectionString())
                .retryOptions(new com.azure.core.amqp.AmqpRetryOptions().setTryTimeout(Duration.ofSeconds(5)))
                .sessionReceiver().queueName(q).disableAutoComplete().buildClient());

        ServiceBusReceiverClient session = track(receiver.acceptNextSession()); // waits on the broker until due

        assertThat(session.getSessionId()).isEqualTo("retry-user");
        ServiceBusReceivedMessage due = session.receiveMessages(1, Duration.ofSeconds(3)).stream().findFirst().orElseThrow();
        assertThat(due.getBody().toString()).isEqualTo("retry");
        session.complete(due);
    }

    @Test
    void sessionStateIsStoredAndReadBack() {
        String q = freshQueue();
        ServiceBusReceiverClient session = track(sessions(q, Duration.ZERO).acceptSession("stateful"));

        assertThat(session.getSessionState()).isNull();
        session.setSessionState("step-3".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(session.getSessionState(), StandardCharsets.UTF_8)).isEqualTo("step-3");
    }

    @Test
    void renewingTheSessionLockExtendsIt() throws Exception {
        String q = "s-renew"; // 4 s lock
        sender(q).sendMessage(inSession("renew", "r"));
        ServiceBusReceiverClient session = track(sessions(q, Duration.ZERO).acceptSession("renew"));
        ServiceBusReceivedMessage message = session.receiveMessages(1, Duration.ofSeconds(3)).stream().findFirst().orElseThrow();
        Thread.sleep(1_500);

        OffsetDateTime renewed = session.renewSessionLock();

        assertThat(renewed).isAfter(message.getLockedUntil());
        Thread.sleep(3_000); // beyond the original 4 s lock, well inside the renewed one
        session.complete(message);
    }

    @Test
    void expiredSessionLockFailsSettlementAndFreesTheSession() throws Exception {
        String q = freshQueue();
        sender(q).sendMessage(inSession("expiring", "e"));
        ServiceBusReceiverClient session = track(sessions(q, Duration.ZERO).acceptSession("expiring"));
        ServiceBusReceivedMessage message = session.receiveMessages(1, Duration.ofSeconds(3)).stream().findFirst().orElseThrow();

        Thread.sleep(2_600);

        assertThatThrownBy(() -> session.complete(message)).isInstanceOfSatisfying(ServiceBusException.class,
                e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.SESSION_LOCK_LOST));
        ServiceBusReceiverClient again = track(sessions(q, Duration.ZERO).acceptSession("expiring"));
        ServiceBusReceivedMessage redelivered = again.receiveMessages(1, Duration.ofSeconds(3)).stream().findFirst().orElseThrow();
        assertThat(redelivered.getDeliveryCount()).isEqualTo(1);
        again.complete(redelivered);
    }

    @Test
    void sessionProcessorWithConcurrentSessionsKeepsFifoPerSession() throws Exception {
        String q = freshQueue();
        ServiceBusSenderClient sender = sender(q);
        int sessions = 4;
        int perSession = 6;
        for (int i = 0; i < perSession; i++) {
            for (int s = 0; s < sessions; s++) {
                sender.sendMessage(inSession("user-" + s, String.valueOf(i)));
            }
        }
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicInteger done = new AtomicInteger();
        ServiceBusProcessorClient processor = new com.azure.messaging.servicebus.ServiceBusClientBuilder()
                .connectionString(emulator.connectionString())
                .retryOptions(new com.azure.core.amqp.AmqpRetryOptions().setTryTimeout(Duration.ofSeconds(5)))
                .sessionProcessor().queueName(q).maxConcurrentSessions(3).disableAutoComplete()
                .sessionIdleTimeout(Duration.ofSeconds(1))
                .processMessage(ctx -> {
                    seen.computeIfAbsent(ctx.getMessage().getSessionId(), k -> new CopyOnWriteArrayList<>())
                            .add(Integer.parseInt(ctx.getMessage().getBody().toString()));
                    ctx.complete();
                    done.incrementAndGet();
                })
                .processError((ServiceBusErrorContext ctx) -> errors.add(ctx.getException()))
                .buildProcessorClient();
        processor.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == sessions * perSession);
        } finally {
            processor.close();
        }

        assertThat(errors).isEmpty();
        assertThat(seen).hasSize(sessions);
        seen.values().forEach(order -> assertThat(order).containsExactly(0, 1, 2, 3, 4, 5));
        assertThat(emulator.messageCount(q)).isZero();
    }

    @Test
    void sendingWithoutSessionIdToASessionQueueIsRefused() {
        String q = freshQueue();

        assertThatThrownBy(() -> sender(q).sendMessage(new ServiceBusMessage("no session")))
                .isInstanceOf(RuntimeException.class).hasStackTraceContaining("SessionId");
    }
}
