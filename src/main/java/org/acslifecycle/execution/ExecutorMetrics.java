package org.acslifecycle.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.acslifecycle.core.Operation;

/** The executor's meters. */
final class ExecutorMetrics {

    private final MeterRegistry registry;
    private final Timer revocationLag;

    ExecutorMetrics(MeterRegistry registry, java.util.function.IntSupplier deletionsHeld,
            LedgerGauges.OperationCounts operations) {
        this.registry = registry;
        LedgerGauges ledger = new LedgerGauges(deletionsHeld, operations, Duration.ofSeconds(10));
        // The journal now: the backlog (PENDING) and what ACS refused for good (FAILED: `ops retry|drop`), per kind.
        for (Operation.Kind kind : Operation.Kind.values()) {
            for (Operation.Status status : LedgerGauges.STATUSES) {
                io.micrometer.core.instrument.Gauge.builder("acs.lifecycle.journal.operations",
                                () -> ledger.operations(kind, status))
                        .tag("kind", kind.name().toLowerCase()).tag("status", status.name().toLowerCase())
                        .description("Journal operations now PENDING (the backlog) or FAILED (waiting for ops retry|drop),"
                                + " by kind; every replica reports the same shared ledger")
                        .register(registry);
            }
        }
        // The deletion breaker: how many deletions wait for an operator (0 when it is closed).
        io.micrometer.core.instrument.Gauge.builder("acs.lifecycle.deletions.held", ledger::deletionsHeld)
                .description("Deletions the deletion breaker holds until an operator releases or cancels them")
                .register(registry);
        // Effective time → ACS acknowledged the revoke or delete: how long a leaver or suspended person kept access.
        this.revocationLag = Timer.builder("acs.lifecycle.revocation.lag")
                .description("From the event's effective time to ACS acknowledging the token revocation or identity deletion")
                .publishPercentileHistogram()
                // An exact bucket at the SLO (infra/monitoring/alerts.yml: revoked within 5 minutes of the effective time).
                .serviceLevelObjectives(Duration.ofMinutes(5))
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(6))
                .register(registry);
    }

    /** @param outcome done, retry, failed, cancelled, no-budget, circuit-open */
    void operation(Operation.Kind kind, String outcome) {
        Counter.builder("acs.lifecycle.operations").tag("kind", kind.name().toLowerCase()).tag("outcome", outcome)
                .description("Journal operations carried out, by kind and outcome").register(registry).increment();
    }

    void revocationLag(Duration lag) {
        revocationLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }
}
