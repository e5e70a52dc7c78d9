package org.acslifecycle.emulators.acs;

import java.util.Map;

/** A snapshot of how many Identity API requests were answered, per operation and HTTP status. */
public record CallCounts(Map<Operation, Map<Integer, Long>> byOperationAndStatus) {

    public CallCounts {
        byOperationAndStatus = Map.copyOf(byOperationAndStatus);
    }

    /** Every request for the operation, whatever the answer (so: HTTP attempts a client made). */
    public long count(Operation operation) {
        return byOperationAndStatus.getOrDefault(operation, Map.of()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    public long count(Operation operation, int status) {
        return byOperationAndStatus.getOrDefault(operation, Map.of()).getOrDefault(status, 0L);
    }

    /** Requests answered {@code status}, over every operation (e.g. how many 503s an outage gave). */
    public long countWithStatus(int status) {
        return byOperationAndStatus.values().stream().mapToLong(byStatus -> byStatus.getOrDefault(status, 0L)).sum();
    }

    public long total() {
        return byOperationAndStatus.keySet().stream().mapToLong(this::count).sum();
    }
}
