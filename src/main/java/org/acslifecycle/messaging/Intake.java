package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, pauses and resumes the taking of messages. A systemic failure (ACS refusing our credentials,
 * the ledger gone) pauses intake instead of dead-lettering good events; while paused, a probe runs every
 * so often and intake resumes by itself once the probe finds nothing wrong.
 */
public final class Intake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final Supplier<ServiceBusProcessorClient> processors;
    private volatile ServiceBusProcessorClient processor;
    private final Supplier<Optional<String>> probe;
    private final java.util.function.IntSupplier inFlight;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "intake-control");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String pausedBecause;
    private volatile boolean started;

    /**
     * @param processors makes a new processor: a paused one is closed, so that its sessions are let go at
     *                 once rather than when their locks expire, and a new one takes over on resume
     * @param probe    answers what is still wrong, or empty when work can go on
     * @param inFlight how many messages are being handled now
     */
    public Intake(Supplier<ServiceBusProcessorClient> processors, Supplier<Optional<String>> probe,
            java.util.function.IntSupplier inFlight) {
        this.processors = processors;
        this.processor = processors.get();
        this.probe = probe;
        this.inFlight = inFlight;
    }

    public void start() {
        processor.start();
        started = true;
    }

    /** Stops taking messages (once, however many handlers ask) and probes every {@code probeEvery}. */
    public synchronized void pause(String why, Duration probeEvery) {
        if (pausedBecause != null || !started) {
            return;
        }
        pausedBecause = why;
        LOG.warn("Pausing intake: {}. Probing every {}.", why, probeEvery);
        // Not on the handler's own thread: the processor waits for its handlers when it closes.
        ServiceBusProcessorClient paused = processor;
        scheduler.execute(paused::close);
        scheduler.schedule(() -> probeUntilHealthy(probeEvery), probeEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeUntilHealthy(Duration probeEvery) {
        Optional<String> problem;
        try {
            problem = probe.get();
        } catch (RuntimeException e) {
            problem = Optional.of(e.getMessage());
        }
        if (problem.isPresent()) {
            LOG.warn("Intake stays paused: {}", problem.get());
            scheduler.schedule(() -> probeUntilHealthy(probeEvery), probeEvery.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        synchronized (this) {
            LOG.info("Probe passed; resuming intake (it was paused because: {})", pausedBecause);
            pausedBecause = null;
            if (started) {
                processor = processors.get();
                processor.start();
            }
        }
    }

    public Optional<String> pausedBecause() {
        return Optional.ofNullable(pausedBecause);
    }

    /** Ready to take work: started, running and not paused. */
    public boolean isReady() {
        return started && pausedBecause == null && processor.isRunning();
    }

    /** The processor says it is running (it may still have stopped receiving: see {@link Watchdog}). */
    public boolean isRunning() {
        return processor.isRunning();
    }

    public boolean isStarted() {
        return started;
    }

    /**
     * Graceful stop: take no new messages, give those in flight until {@code deadline} to be handled and
     * settled, then close. Whatever is still in flight then is redelivered later; the ledger makes the
     * repeat harmless.
     */
    public void stop(Duration deadline) {
        started = false;
        scheduler.shutdownNow();
        processor.stop();
        long until = System.nanoTime() + deadline.toNanos();
        while (inFlight.getAsInt() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.getAsInt() > 0) {
            LOG.warn("{} message(s) still in flight after {}; they will be redelivered", inFlight.getAsInt(), deadline);
        }
        processor.close();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
