package org.acslifecycle.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.acslifecycle.core.Operation;

/**
 * Where to put an execution that found no budget: in line behind the others of its kind, at the rate the
 * budget lets them through, so that a backlog of thousands is picked up about once each instead of every
 * poll. In-process: with several replicas each keeps its own line, and an early return simply waits again.
 */
final class BudgetSpread {

    private final Map<Operation.Kind, Double> permitsPerSecond;
    private final Map<Operation.Kind, Instant> nextFree = new EnumMap<>(Operation.Kind.class);

    /** @param permitsPerSecond how fast each kind's budgets let operations through (cut-off: both budgets) */
    BudgetSpread(Map<Operation.Kind, Double> permitsPerSecond) {
        this.permitsPerSecond = Map.copyOf(permitsPerSecond);
    }

    synchronized Instant deferUntil(Operation.Kind kind, Instant earliest) {
        double rate = permitsPerSecond.getOrDefault(kind, 1.0);
        Instant free = nextFree.getOrDefault(kind, earliest);
        Instant at = free.isBefore(earliest) ? earliest : free;
        nextFree.put(kind, at.plus(Duration.ofNanos((long) (1_000_000_000L / Math.max(rate, 0.001)))));
        return at;
    }
}
