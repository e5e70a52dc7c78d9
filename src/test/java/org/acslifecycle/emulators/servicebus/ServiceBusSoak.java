package org.acslifecycle.emulators.servicebus;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.QueueDefinition;
import org.slf4j.LoggerFactory;

/**
 * The long version of LockTest's processor run: a session processor like the worker's (auto-complete off,
 * prefetch 0) on a 5 s lock for N minutes, some handlers slower than the lock. Prints processor errors and SDK
 * ERROR log lines at the end; both should be 0. Not a test. Run:
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.emulators.servicebus.ServiceBusSoak -Dexec.args="10"
 * </pre>
 */
public final class ServiceBusSoak {

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Logger azure = (Logger) LoggerFactory.getLogger("com.azure");
        ListAppender<ILoggingEvent> sdkLog = new ListAppender<>();
        sdkLog.start();
        azure.addAppender(sdkLog);
        EntitySettings settings = EntitySettings.defaults().withRequiresSession(true)
                .withLockDuration(Duration.ofSeconds(5)).withMaxDeliveryCount(10);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        try (ServiceBusEmulator emulator = ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(
                TestTopologies.of(List.of(new QueueDefinition("soak", settings)), List.of()), 0))) {
            ServiceBusProcessorClient processor = new ServiceBusClientBuilder().connectionString(emulator.connectionString())
                    .sessionProcessor().queueName("soak").maxConcurrentSessions(8).disableAutoComplete().prefetchCount(0)
                    .sessionIdleTimeout(Duration.ofSeconds(2))
                    .processMessage(ctx -> {
                        if (handled.incrementAndGet() % 50 == 0) {
                            sleep(7_000); // longer than the lock: the SDK must renew the session lock
                        }
                        ctx.complete();
                        completed.add(ctx.getMessage().getMessageId());
                    })
                    .processError(ctx -> {
                        errors.incrementAndGet();
                        System.out.println("processor error: " + ctx.getException());
                    })
                    .buildProcessorClient();
            processor.start();
            long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
            int sent = 0;
            try (ServiceBusSenderClient sender = new ServiceBusClientBuilder().connectionString(emulator.connectionString())
                    .sender().queueName("soak").buildClient()) {
                while (System.nanoTime() < end) {
                    sender.sendMessage(new ServiceBusMessage("soak-" + sent).setMessageId("soak-" + sent)
                            .setSessionId("user-" + (sent % 8)));
                    sent++;
                    Thread.sleep(20);
                }
            }
            long drainUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (completed.size() < sent && System.nanoTime() < drainUntil) {
                Thread.sleep(200);
            }
            processor.close();
            long sdkErrors = sdkLog.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).count();
            System.out.printf("minutes=%d sent=%d completed=%d handled=%d processorErrors=%d sdkErrorLogLines=%d left=%d%n",
                    minutes, sent, completed.size(), handled.get(), errors.get(), sdkErrors, emulator.messageCount("soak"));
        }
        System.exit(0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
