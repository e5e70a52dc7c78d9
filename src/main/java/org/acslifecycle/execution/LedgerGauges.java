package org.acslifecycle.execution;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.acslifecycle.core.Operation;

/**
 * The gauges read from the ledger (held deletions, journal operations by kind and status), counted off the scrape
 * thread: a scrape answers from the last counts at once and, when they are older than {@code maxAge}, starts one
 * recount in the background. So {@code /metrics} never waits for the database (the pool waits up to a minute for a
 * connection while the ledger is down, and {@code /metrics} shares its HTTP threads with the health probes). A
 * failed recount leaves no counts: the gauges read NaN until one succeeds.
 */
final class LedgerGauges {

    /** How many journal operations of a kind are in a status now (the ledger's count, shared by every replica). */
    interface OperationCounts {
        long count(Operation.Kind kind, Operation.Status status);
    }

    static final Operation.Status[] STATUSES = {Operation.Status.PENDING, Operation.Status.FAILED};
    private static final String HELD = "held";

    private final IntSupplier deletionsHeld;
    private final OperationCounts operations;
    private final long maxAgeNanos;
    private final AtomicReference<Map<String, Long>> counts = new AtomicReference<>(Map.of());
    private final AtomicLong countedAt = new AtomicLong();
    private final AtomicBoolean counting = new AtomicBoolean();
    private final ThreadPoolExecutor counter;

    LedgerGauges(IntSupplier deletionsHeld, OperationCounts operations, java.time.Duration maxAge) {
        this.deletionsHeld = deletionsHeld;
        this.operations = operations;
        this.maxAgeNanos = maxAge.toNanos();
        // One thread at most, gone when idle: nothing to close.
        counter = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "ledger-gauges");
            thread.setDaemon(true);
            return thread;
        });
        counter.allowCoreThreadTimeOut(true);
        recountIfStale(true);
    }

    double deletionsHeld() {
        return read(HELD);
    }

    double operations(Operation.Kind kind, Operation.Status status) {
        return read(key(kind, status));
    }

    private double read(String key) {
        recountIfStale(false);
        Long value = counts.get().get(key);
        return value == null ? Double.NaN : value;
    }

    private void recountIfStale(boolean now) {
        if ((now || System.nanoTime() - countedAt.get() > maxAgeNanos) && counting.compareAndSet(false, true)) {
            counter.execute(() -> {
                try {
                    Map<String, Long> fresh = new HashMap<>();
                    fresh.put(HELD, (long) deletionsHeld.getAsInt());
                    for (Operation.Kind kind : Operation.Kind.values()) {
                        for (Operation.Status status : STATUSES) {
                            fresh.put(key(kind, status), operations.count(kind, status));
                        }
                    }
                    counts.set(Map.copyOf(fresh));
                } catch (RuntimeException ledgerDown) {
                    counts.set(Map.of());
                } finally {
                    countedAt.set(System.nanoTime());
                    counting.set(false);
                }
            });
        }
    }

    private static String key(Operation.Kind kind, Operation.Status status) {
        return kind + "/" + status;
    }
}
