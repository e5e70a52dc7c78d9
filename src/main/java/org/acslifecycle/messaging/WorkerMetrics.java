package org.acslifecycle.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** The worker's own meters; names follow Micrometer's dotted style, exported in Prometheus format. */
public final class WorkerMetrics {

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void event(String type, String outcome) {
        Counter.builder("acs.lifecycle.events").tag("type", type).tag("outcome", outcome)
                .description("Events handled, by canonical type and outcome").register(registry).increment();
    }

    public void deadLettered(String reason) {
        Counter.builder("acs.lifecycle.dead.letters").tag("reason", reason)
                .description("Messages moved to the dead-letter queue, by reason").register(registry).increment();
    }

    public void delayedRetry(int attempt) {
        DistributionSummary.builder("acs.lifecycle.delayed.retries")
                .description("Delayed retries scheduled, by attempt number").register(registry).record(attempt);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
