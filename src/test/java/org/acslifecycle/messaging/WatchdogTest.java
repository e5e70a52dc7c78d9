package org.acslifecycle.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulator;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulatorOptions;
import org.acslifecycle.emulators.servicebus.topology.TopologyLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Liveness goes red when the processor stops receiving while messages wait, and only then. */
class WatchdogTest {

    private static final Duration GRACE = Duration.ofSeconds(2);

    private ServiceBusEmulator emulator;
    private ServiceBusClientBuilder builder;
    private ServiceBusSenderClient sender;
    private ServiceBusReceiverClient peeker;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        try (InputStream topology = getClass().getResourceAsStream("/servicebus-no-sessions.json")) {
            emulator = ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(new TopologyLoader().load(topology), 0));
        }
        builder = new ServiceBusClientBuilder().connectionString(emulator.connectionString());
        sender = builder.sender().queueName("lifecycle-events").buildClient();
        peeker = builder.receiver().queueName("lifecycle-events").buildClient();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        peeker.close();
        sender.close();
        emulator.close();
    }

    private Watchdog watching(ServiceBusProcessorClient processor, Intake[] intakeOut) {
        Intake intake = new Intake(() -> processor, Optional::empty, () -> 0);
        intakeOut[0] = intake;
        return new Watchdog(intake, peeker, GRACE, Clock.systemUTC());
    }

    @Test
    void anIdleWorkerWithNothingWaitingStaysAlive() throws Exception {
        Intake[] intake = new Intake[1];
        ServiceBusProcessorClient processor = builder.processor().queueName("lifecycle-events").disableAutoComplete()
                .processMessage(c -> c.complete()).processError(e -> {}).buildProcessorClient();
        Watchdog watchdog = watching(processor, intake);
        intake[0].start();

        Thread.sleep(GRACE.toMillis() + 500);

        assertThat(watchdog.check().alive()).isTrue();
        intake[0].close();
    }

    @Test
    void aProcessorThatStoppedWhileMessagesWaitTurnsLivenessRedAfterTheGrace() {
        Intake[] intake = new Intake[1];
        ServiceBusProcessorClient processor = builder.processor().queueName("lifecycle-events").disableAutoComplete()
                .processMessage(c -> c.complete()).processError(e -> {}).buildProcessorClient();
        Watchdog watchdog = watching(processor, intake);
        intake[0].start();

        processor.stop(); // as the SDK sometimes does by itself
        sender.sendMessage(new ServiceBusMessage("waiting"));

        assertThat(watchdog.check().alive()).as("within the grace").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !watchdog.check().alive());
        assertThat(watchdog.check().detail()).contains("not running");
        intake[0].close();
    }

    @Test
    void aRunningProcessorThatReceivesNothingWhileAMessageWaitsTurnsLivenessRed() {
        Intake[] intake = new Intake[1];
        Watchdog[] watchdog = new Watchdog[1];
        // One handler slot, stuck on the first message: the processor runs but receives nothing more.
        ServiceBusProcessorClient processor = builder.processor().queueName("lifecycle-events").disableAutoComplete()
                .maxConcurrentCalls(1).prefetchCount(0)
                .processMessage(c -> {
                    watchdog[0].delivered();
                    awaitRelease();
                })
                .processError(e -> {}).buildProcessorClient();
        watchdog[0] = watching(processor, intake);
        intake[0].start();
        sender.sendMessage(new ServiceBusMessage("first"));
        sender.sendMessage(new ServiceBusMessage("second"));

        await().atMost(Duration.ofSeconds(15)).until(() -> !watchdog[0].check().alive());
        assertThat(watchdog[0].check().detail()).contains("nothing received since").contains("waits");
        release.countDown();
        intake[0].close();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
