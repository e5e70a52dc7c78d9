package org.acslifecycle.execution;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.acslifecycle.core.port.DirectoryFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's circuit for ACS work only (DESIGN §5): ACS refusing our credentials (401/403) opens it at
 * once, an outage ({@code outageAfter} calls in a row failing transiently; throttling does not count) opens it
 * too. While open no ACS call is made; after {@code probeEvery} one call probes, and its success closes the
 * circuit. Intake is not affected: it keeps recording.
 */
final class AcsCircuit {

    private static final Logger LOG = LoggerFactory.getLogger(AcsCircuit.class);

    private final CircuitBreaker breaker;
    private final AtomicReference<String> openBecause = new AtomicReference<>();
    private final Duration probeEvery;

    AcsCircuit(ExecutorSettings settings) {
        probeEvery = settings.probeEvery();
        breaker = CircuitBreaker.of("acs", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.outageAfter())
                .minimumNumberOfCalls(settings.outageAfter())
                .failureRateThreshold(100)
                .waitDurationInOpenState(settings.probeEvery())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(failure -> failure instanceof DirectoryFailure.Systemic
                        || failure instanceof DirectoryFailure.Transient t && !t.throttled())
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> LOG.warn("ACS circuit open: {}; intake goes on, ACS work waits; probing in {}",
                        Optional.ofNullable(openBecause.get()).orElse("ACS calls failing"), settings.probeEvery());
                case CLOSED -> {
                    LOG.info("ACS circuit closed: ACS work resumes");
                    openBecause.set(null);
                }
                default -> { }
            }
        });
    }

    /** Whether a call may go to ACS now; in half-open state, only the one probe may. */
    boolean permits() {
        return breaker.tryAcquirePermission();
    }

    void succeeded(long startNanos) {
        breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    void failed(long startNanos, RuntimeException failure) {
        if (failure instanceof DirectoryFailure.Systemic systemic) {
            openBecause.set("ACS refused our credentials (HTTP " + systemic.status() + ")");
            breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, failure);
            if (breaker.getState() != CircuitBreaker.State.OPEN) {
                breaker.transitionToOpenState();
            }
            return;
        }
        if (failure instanceof DirectoryFailure.Transient t && !t.throttled()) {
            openBecause.compareAndSet(null, "ACS unavailable: calls in a row failed (" + failure.getMessage() + ")");
        }
        breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, failure);
    }

    /** Gives back a permission taken for a call that was not made (no budget, nothing due). */
    void released() {
        breaker.releasePermission();
    }

    /** Why ACS work is held, or empty while the circuit is closed. */
    Optional<String> openReason() {
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.CLOSED) {
            return Optional.empty();
        }
        return Optional.of(Optional.ofNullable(openBecause.get()).orElse("ACS calls failing") + " (" + state + ")");
    }

    Duration probeEvery() {
        return probeEvery;
    }
}
