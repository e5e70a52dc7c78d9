package org.acslifecycle.emulators.servicebus;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.emulators.servicebus.topology.EntitySettings;
import org.acslifecycle.emulators.servicebus.topology.QueueDefinition;

/**
 * Throughput of send → PEEK_LOCK receive → complete through the official SDK, with 1 and with 16 sessions.
 * Not a test (no {@code Test} suffix, so {@code mvn verify} never runs it). Run:
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.emulators.servicebus.ServiceBusBenchmark [-Dexec.args="20000"]
 * </pre>
 */
public final class ServiceBusBenchmark {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        EntitySettings settings = EntitySettings.defaults().withRequiresSession(true).withMaxDeliveryCount(10);
        try (ServiceBusEmulator emulator = ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(TestTopologies.of(
                List.of(new QueueDefinition("warmup", settings), new QueueDefinition("b1", settings),
                        new QueueDefinition("b2", settings), new QueueDefinition("b3", settings),
                        new QueueDefinition("b4", settings)), List.of()), 0))) {
            run(emulator, "warmup", 1, 0, Math.min(messages, 2_000), false);
            // Prefetch 0 is how the worker's processor runs; prefetch 50 shows what the broker itself can do.
            run(emulator, "b1", 1, 0, messages, true);
            run(emulator, "b2", 16, 0, messages, true);
            run(emulator, "b3", 1, 50, messages, true);
            run(emulator, "b4", 16, 50, messages, true);
        }
        System.exit(0);
    }

    private static void run(ServiceBusEmulator emulator, String queue, int sessions, int prefetch, int messages,
            boolean print)
            throws Exception {
        CountDownLatch done = new CountDownLatch(messages);
        AtomicInteger errors = new AtomicInteger();
        ServiceBusProcessorClient processor = new ServiceBusClientBuilder().connectionString(emulator.connectionString())
                .sessionProcessor().queueName(queue).maxConcurrentSessions(sessions).disableAutoComplete()
                .prefetchCount(prefetch)
                .processMessage(ctx -> {
                    ctx.complete();
                    done.countDown();
                })
                .processError(ctx -> errors.incrementAndGet())
                .buildProcessorClient();
        processor.start();
        long started = System.nanoTime();
        long sendNanos;
        try (ServiceBusSenderClient sender = new ServiceBusClientBuilder().connectionString(emulator.connectionString())
                .sender().queueName(queue).buildClient()) {
            int sent = 0;
            while (sent < messages) {
                ServiceBusMessageBatch batch = sender.createMessageBatch();
                while (sent < messages && batch.tryAddMessage(new ServiceBusMessage("payload-" + sent)
                        .setMessageId("m-" + sent).setSessionId("session-" + (sent % sessions)))) {
                    sent++;
                    if (batch.getCount() == 100) {
                        break;
                    }
                }
                sender.sendMessages(batch);
            }
            sendNanos = System.nanoTime() - started;
        }
        boolean finished = done.await(5, TimeUnit.MINUTES);
        long totalNanos = System.nanoTime() - started;
        processor.close();
        if (print) {
            System.out.printf("sessions=%-2d prefetch=%-2d messages=%d send=%.0f msg/s  send+receive+complete=%.0f msg/s  (%.2f s)%s%s%n",
                    sessions, prefetch, messages, messages / seconds(sendNanos), (messages - done.getCount()) / seconds(totalNanos),
                    seconds(totalNanos), finished ? "" : "  INCOMPLETE: " + done.getCount() + " left",
                    errors.get() == 0 ? "" : "  processor errors: " + errors.get());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

}
