package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Priority 5: lock expiry and redelivery, lock-lost settlement, renew-lock, a processor run with renewals. */
class LockTest {
    private static ServiceBusEmulator emulator;

    @BeforeAll
    static void start() throws Exception {
        emulator = TestTopologies.start(TestTopologies.of(List.of(
                TestTopologies.queue("short-lock", TestTopologies.FAST.withLockDuration(Duration.ofSeconds(2))),
                TestTopologies.queue("renew", TestTopologies.FAST.withLockDuration(Duration.ofSeconds(4))),
                TestTopologies.queue("processor", TestTopologies.FAST.withLockDuration(Duration.ofSeconds(5))
                        .withMaxDeliveryCount(10)),
                TestTopologies.queue("session-processor", TestTopologies.FAST.withLockDuration(Duration.ofSeconds(5))
                        .withMaxDeliveryCount(10).withRequiresSession(true))), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        emulator.close();
    }

    private static ServiceBusReceiverClient receiver(String queue) {
        return TestTopologies.client(emulator).receiver().queueName(queue).disableAutoComplete()
                .maxAutoLockRenewDuration(Duration.ZERO).buildClient();
    }

    @Test
    void expiredLockRedeliversTheMessageAndTheOldLockCannotSettle() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("short-lock").buildClient();
             ServiceBusReceiverClient receiver = receiver("short-lock")) {
            sender.sendMessage(new ServiceBusMessage("slow").setMessageId("slow-1"));
            ServiceBusReceivedMessage first = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            Thread.sleep(2_500);
            ServiceBusReceivedMessage again = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();

            assertThat(again.getMessageId()).isEqualTo("slow-1");
            assertThat(again.getDeliveryCount()).isEqualTo(1);
            assertThat(again.getLockToken()).isNotEqualTo(first.getLockToken());
            assertThatThrownBy(() -> receiver.complete(first)).isInstanceOfSatisfying(ServiceBusException.class,
                    e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.MESSAGE_LOCK_LOST));
            receiver.complete(again);
            assertThat(emulator.messageCount("short-lock")).isZero();
        }
    }

    @Test
    void renewingAMessageLockKeepsItPastTheLockDuration() throws Exception {
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("renew").buildClient();
             ServiceBusReceiverClient receiver = receiver("renew")) {
            sender.sendMessage(new ServiceBusMessage("keep"));
            ServiceBusReceivedMessage message = receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().findFirst().orElseThrow();
            OffsetDateTime original = message.getLockedUntil();

            Thread.sleep(1_500);
            OffsetDateTime renewed = receiver.renewMessageLock(message);
            Thread.sleep(3_000); // past the original 4 s expiry, well inside the renewed one

            assertThat(renewed).isAfter(original);
            receiver.complete(message);
            assertThat(emulator.messageCount("renew")).isZero();
        }
    }

    /**
     * A processor like the worker's (auto-complete off, prefetch 0) against a 5 s lock, with handlers slower
     * than the lock so the SDK must renew, for about 20 s: no error reaches the handler or the SDK's error log.
     */
    @Test
    void processorWithSlowHandlersRunsWithoutErrorsWhileTheSdkRenewsLocks() throws Exception {
        Logger azure = (Logger) LoggerFactory.getLogger("com.azure");
        ListAppender<ILoggingEvent> sdkLog = new ListAppender<>();
        sdkLog.start();
        azure.addAppender(sdkLog);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        int total = 12;
        ServiceBusProcessorClient processor = TestTopologies.client(emulator).processor().queueName("processor")
                .disableAutoComplete().prefetchCount(0).maxConcurrentCalls(3)
                .maxAutoLockRenewDuration(Duration.ofMinutes(1))
                .processMessage(ctx -> {
                    int n = handled.incrementAndGet();
                    if (n % 4 == 0) {
                        sleep(7_000); // longer than the 5 s lock
                    } else {
                        sleep(300);
                    }
                    ctx.complete();
                    completed.add(ctx.getMessage().getMessageId());
                })
                .processError((ServiceBusErrorContext ctx) -> errors.add(ctx.getException()))
                .buildProcessorClient();
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("processor").buildClient()) {
            processor.start();
            for (int i = 0; i < total; i++) {
                sender.sendMessage(new ServiceBusMessage("work-" + i).setMessageId("work-" + i));
                Thread.sleep(900);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == total);
            Thread.sleep(2_000); // settle-time: anything that fails late still shows up
        } finally {
            processor.close();
            azure.detachAppender(sdkLog);
        }

        assertThat(errors).isEmpty();
        assertThat(handled.get()).as("no message was redelivered").isEqualTo(total);
        assertThat(sdkLog.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(emulator.messageCount("processor")).isZero();
    }

    /** The worker's shape: a session processor, several sessions at once, session locks renewed by the SDK. */
    @Test
    void sessionProcessorWithSlowHandlersRunsWithoutErrorsWhileTheSdkRenewsSessionLocks() throws Exception {
        Logger azure = (Logger) LoggerFactory.getLogger("com.azure");
        ListAppender<ILoggingEvent> sdkLog = new ListAppender<>();
        sdkLog.start();
        azure.addAppender(sdkLog);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        int total = 16;
        ServiceBusProcessorClient processor = TestTopologies.client(emulator).sessionProcessor().queueName("session-processor")
                .maxConcurrentSessions(3).disableAutoComplete().prefetchCount(0).sessionIdleTimeout(Duration.ofSeconds(2))
                .processMessage(ctx -> {
                    if (handled.incrementAndGet() % 5 == 0) {
                        sleep(7_000); // longer than the 5 s session lock
                    }
                    ctx.complete();
                    completed.add(ctx.getMessage().getMessageId());
                })
                .processError((ServiceBusErrorContext ctx) -> errors.add(ctx.getException()))
                .buildProcessorClient();
        try (ServiceBusSenderClient sender = TestTopologies.client(emulator).sender().queueName("session-processor").buildClient()) {
            processor.start();
            for (int i = 0; i < total; i++) {
                sender.sendMessage(new ServiceBusMessage("work-" + i).setMessageId("work-" + i).setSessionId("user-" + (i % 4)));
                Thread.sleep(600);
            }
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> completed.size() == total);
            Thread.sleep(1_000);
        } finally {
            processor.close();
            azure.detachAppender(sdkLog);
        }

        assertThat(errors).isEmpty();
        assertThat(handled.get()).as("no message was redelivered").isEqualTo(total);
        assertThat(sdkLog.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(emulator.messageCount("session-processor")).isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
