package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusMessageState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Liveness for a known SDK failure mode: the processor stops receiving while messages wait. Alive unless
 * intake should be running and, for longer than {@code grace}, either the processor is not running or
 * nothing has been delivered although the queue holds a message enqueued more than {@code grace} ago.
 * A paused worker is alive: it stopped on purpose and probes by itself.
 */
public final class Watchdog {

    /** What liveness reports: alive or not, and why, in one line. */
    public record Verdict(boolean alive, String detail) {}

    private final Intake intake;
    private final ServiceBusReceiverClient peeker;
    private final Duration grace;
    private final Clock clock;
    private final Instant startedAt;
    private final AtomicReference<Instant> lastDelivery = new AtomicReference<>();
    private final AtomicReference<Instant> notRunningSince = new AtomicReference<>();

    /** @param peeker a plain receiver on the queue, used only to peek (it locks and removes nothing) */
    public Watchdog(Intake intake, ServiceBusReceiverClient peeker, Duration grace, Clock clock) {
        this.intake = intake;
        this.peeker = peeker;
        this.grace = grace;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** The handler calls this for every message it is given. */
    public void delivered() {
        lastDelivery.set(clock.instant());
    }

    public Verdict check() {
        Instant now = clock.instant();
        if (!intake.isStarted() || intake.pausedBecause().isPresent()) {
            notRunningSince.set(null);
            return new Verdict(true, intake.pausedBecause().map(why -> "paused on purpose: " + why).orElse("not started"));
        }
        if (!intake.isRunning()) {
            Instant since = notRunningSince.updateAndGet(s -> s == null ? now : s);
            boolean alive = Duration.between(since, now).compareTo(grace) < 0;
            return new Verdict(alive, "processor not running since " + since);
        }
        notRunningSince.set(null);
        Instant quietSince = Optional.ofNullable(lastDelivery.get()).orElse(startedAt);
        if (Duration.between(quietSince, now).compareTo(grace) < 0) {
            return new Verdict(true, "receiving");
        }
        Optional<Instant> oldestWaiting = oldestWaiting();
        if (oldestWaiting.isPresent() && Duration.between(oldestWaiting.get(), now).compareTo(grace) > 0) {
            return new Verdict(false, "nothing received since " + quietSince + " although a message enqueued at "
                    + oldestWaiting.get() + " waits");
        }
        return new Verdict(true, "idle: nothing waiting");
    }

    private Optional<Instant> oldestWaiting() {
        try {
            Instant oldest = null;
            for (ServiceBusReceivedMessage message : peeker.peekMessages(20, 0L)) {
                if (message.getState() == ServiceBusMessageState.ACTIVE) {
                    Instant enqueued = message.getEnqueuedTime().toInstant();
                    oldest = oldest == null || enqueued.isBefore(oldest) ? enqueued : oldest;
                }
            }
            return Optional.ofNullable(oldest);
        } catch (RuntimeException e) {
            // Cannot look: not evidence of a stuck processor (Service Bus may be briefly unreachable).
            return Optional.empty();
        }
    }
}
