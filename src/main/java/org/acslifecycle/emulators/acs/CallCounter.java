package org.acslifecycle.emulators.acs;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts answered requests per operation and status, and keeps the last W3C traceparent a client sent; thread-safe. */
final class CallCounter {

    private final Map<Operation, Map<Integer, LongAdder>> counts = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<String> lastTraceparent =
            new java.util.concurrent.atomic.AtomicReference<>();

    void traceparent(String value) {
        lastTraceparent.set(value);
    }

    java.util.Optional<String> lastTraceparent() {
        return java.util.Optional.ofNullable(lastTraceparent.get());
    }

    void record(Operation operation, int status) {
        counts.computeIfAbsent(operation, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    CallCounts snapshot() {
        Map<Operation, Map<Integer, Long>> copy = new EnumMap<>(Operation.class);
        counts.forEach((op, byStatus) -> {
            Map<Integer, Long> statuses = new TreeMap<>();
            byStatus.forEach((status, adder) -> statuses.put(status, adder.sum()));
            copy.put(op, Map.copyOf(statuses));
        });
        return new CallCounts(copy);
    }

    void reset() {
        counts.clear();
        lastTraceparent.set(null);
    }
}
