package org.acslifecycle.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * The ledger in memory, for properties that run intake tens of thousands of times: each unit of work edits a
 * copy of the person's rows, and only {@link PersonUnitOfWork#commit()} makes the copy the person's. One thread
 * only (no locks). {@link #crashNextCommit()} makes the next commit fail as a process dying before it would.
 * Intents (the operators' direct calls) are not modelled.
 */
final class InMemoryLedger implements Ledger {

    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash before commit");
        }
    }

    /** One person's rows. */
    private static final class Rows {
        Optional<PersonRecord> record = Optional.empty();
        Optional<EventPosition> identitySince = Optional.empty();
        Optional<LifecycleEvent> pendingChange = Optional.empty();
        PersonTimeline timeline = PersonTimeline.EMPTY;
        Map<EventKey, HandledEvent> handled = new HashMap<>();
        List<AuditEntry> audit = new ArrayList<>();
        Map<Long, Operation> operations = new LinkedHashMap<>();

        Rows copy() {
            Rows copy = new Rows();
            copy.record = record;
            copy.identitySince = identitySince;
            copy.pendingChange = pendingChange;
            copy.timeline = timeline;
            copy.handled = new HashMap<>(handled);
            copy.audit = new ArrayList<>(audit);
            copy.operations = new LinkedHashMap<>(operations);
            return copy;
        }
    }

    private final Map<String, Rows> people = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private boolean crashNextCommit;

    void crashNextCommit() {
        crashNextCommit = true;
    }

    @Override
    public PersonUnitOfWork open(String externalId) {
        return new Unit(externalId, people.getOrDefault(externalId, new Rows()).copy());
    }

    @Override
    public void audit(AuditEntry entry) {}

    @Override
    public Optional<PersonRecord> person(String externalId) {
        return Optional.ofNullable(people.get(externalId)).flatMap(rows -> rows.record);
    }

    @Override
    public void forEachPerson(java.util.function.Consumer<PersonRecord> consumer) {
        people.values().forEach(rows -> rows.record.ifPresent(consumer));
    }

    @Override
    public Optional<PersonHistory> history(String externalId) {
        return Optional.ofNullable(people.get(externalId)).map(rows -> new PersonHistory(rows.record, rows.audit,
                List.of(), List.copyOf(rows.operations.values())));
    }

    @Override
    public List<Intent> incompleteIntents() {
        return List.of();
    }

    @Override
    public List<Operation> possibleOrphans() {
        return List.of();
    }

    @Override
    public List<Operation> operations(Set<Operation.Status> statuses, int limit) {
        return people.values().stream().flatMap(rows -> rows.operations.values().stream())
                .filter(op -> statuses.contains(op.status())).limit(limit).toList();
    }

    @Override
    public Optional<Operation> operation(long id) {
        return people.values().stream().map(rows -> rows.operations.get(id)).filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private final class Unit implements PersonUnitOfWork {
        private final String externalId;
        private final Rows rows;
        private final Optional<PersonRecord> recordAtOpen;

        Unit(String externalId, Rows rows) {
            this.externalId = externalId;
            this.rows = rows;
            this.recordAtOpen = rows.record;
        }

        @Override public Optional<PersonRecord> record() { return recordAtOpen; }
        @Override public Optional<HandledEvent> handled(EventKey key) { return Optional.ofNullable(rows.handled.get(key)); }
        @Override public void save(PersonRecord record) { rows.record = Optional.of(record); }
        @Override public PersonTimeline timeline() { return rows.timeline; }
        @Override public void saveTimeline(PersonTimeline timeline) { rows.timeline = timeline; }
        @Override public Optional<EventPosition> identitySince() { return rows.identitySince; }
        @Override public void saveIdentitySince(Optional<EventPosition> since) { rows.identitySince = since; }
        @Override public Optional<LifecycleEvent> pendingChange() { return rows.pendingChange; }
        @Override public void savePendingChange(Optional<LifecycleEvent> change) { rows.pendingChange = change; }

        @Override
        public void saveIdentity(Optional<String> acsUserId) {
            PersonRecord r = rows.record.orElseThrow();
            rows.record = Optional.of(new PersonRecord(r.externalId(), acsUserId, r.state(), r.lastEventTime(),
                    r.lastEventKey()));
        }

        @Override
        public void markHandled(EventKey key, String subject, AuditEntry.Outcome outcome, Optional<OutcomeType> type) {
            if (rows.handled.putIfAbsent(key, new HandledEvent(outcome, type)) != null) {
                throw new IllegalStateException("handled twice: " + key); // the primary key would refuse it
            }
        }

        @Override public void audit(AuditEntry entry) { rows.audit.add(entry); }

        @Override
        public List<Operation> openOperations() {
            return rows.operations.values().stream().filter(Operation::isOpen)
                    .sorted(java.util.Comparator.comparingInt((Operation op) -> -op.kind().priority())
                            .thenComparingLong(Operation::id))
                    .toList();
        }

        @Override public Optional<Operation> operation(long id) { return Optional.ofNullable(rows.operations.get(id)); }

        @Override
        public Operation record(Operation.Request request) {
            Operation op = new Operation(ids.incrementAndGet(), externalId, request.kind(), request.acsUserId(),
                    request.notBefore(), Operation.Status.PENDING, 0, Optional.empty(), request.cause(),
                    request.causeType(), request.effectiveTime(), request.outcome(), Instant.EPOCH, Optional.empty(),
                    Optional.empty(), request.trace());
            rows.operations.put(op.id(), op);
            return op;
        }

        private Operation with(Operation op, Operation.Kind kind, Operation.Status status, int attempts) {
            Operation stored = rows.operations.get(op.id());
            Operation changed = new Operation(op.id(), op.externalId(), kind, op.acsUserId(), op.notBefore(), status,
                    attempts, op.lastError(), op.cause(), op.causeType(), op.effectiveTime(), op.outcome(), op.createdAt(),
                    stored.createRequest(), stored.orphanSettled(), stored.trace());
            rows.operations.put(op.id(), changed);
            return changed;
        }

        @Override public Operation beginAttempt(Operation op) {
            Operation stored = rows.operations.get(op.id());
            if (stored.kind() == Operation.Kind.CREATE && stored.createRequest().isEmpty()) {
                // As the JDBC ledger: the request is assigned with the first attempt's count, and kept.
                rows.operations.put(op.id(), new Operation(stored.id(), stored.externalId(), stored.kind(),
                        stored.acsUserId(), stored.notBefore(), stored.status(), stored.attempts(), stored.lastError(),
                        stored.cause(), stored.causeType(), stored.effectiveTime(), stored.outcome(), stored.createdAt(),
                        Optional.of(CreateRequest.first(Instant.EPOCH)), stored.orphanSettled(), stored.trace()));
            }
            return with(op, op.kind(), op.status(), op.attempts() + 1);
        }
        @Override public void settleOrphan(Operation op) { throw new UnsupportedOperationException(); }
        @Override public void retryLater(Operation op, Instant notBefore, String error) {}
        @Override public void close(Operation op, Operation.Status status, String note) { with(rows.operations.get(op.id()), op.kind(), status, rows.operations.get(op.id()).attempts()); }
        @Override public void cancel(Operation op, String why) { close(op, Operation.Status.CANCELLED, why); }
        @Override public void convert(Operation op, Operation.Kind kind, Instant notBefore) { with(op, kind, op.status(), 0); }
        @Override public void reopen(Operation op, Instant notBefore) { with(op, op.kind(), Operation.Status.PENDING, op.attempts()); }

        @Override public Optional<Intent> pendingIntent() { return Optional.empty(); }
        @Override public Intent recordIntent(EventKey key, Intent.Action action, Optional<String> id) { throw new UnsupportedOperationException(); }
        @Override public Intent recordCreatedIdentity(Intent intent, String id) { throw new UnsupportedOperationException(); }
        @Override public void close(Intent intent, Intent.Status status, String note) { throw new UnsupportedOperationException(); }
        @Override public void complete(Intent intent) { throw new UnsupportedOperationException(); }

        @Override
        public void commit() {
            if (crashNextCommit) {
                crashNextCommit = false;
                throw new Crash();
            }
            people.put(externalId, rows);
        }

        @Override public void close() {}
    }
}
