package org.acslifecycle.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.EventPosition;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.HandledEvent;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonTimeline;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * A transaction holding the row lock of one person ({@code SELECT ... FOR UPDATE} on {@code person_lock}).
 * Intents go through a second, autocommit connection so that they are durable before the ACS call. While the
 * unit is open its connection is bound to the thread ({@link TransactionScope}), so the executor's scheduling
 * joins the unit's transaction.
 */
final class JdbcPersonUnitOfWork implements PersonUnitOfWork {

    private final Connection connection;
    private final DataSource intentWrites;
    private final String externalId;
    private final Optional<PersonRecord> record;
    private final Clock clock;
    private boolean committed;

    private JdbcPersonUnitOfWork(Connection connection, DataSource intentWrites, String externalId,
            Optional<PersonRecord> record, Clock clock) {
        this.connection = connection;
        this.intentWrites = intentWrites;
        this.externalId = externalId;
        this.record = record;
        this.clock = clock;
    }

    static JdbcPersonUnitOfWork open(DataSource locking, DataSource writing, String externalId, Clock clock) {
        Connection connection = null;
        try {
            connection = locking.getConnection();
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO person_lock (external_id) VALUES (?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, externalId);
                insert.executeUpdate();
            }
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT external_id FROM person_lock WHERE external_id = ? FOR UPDATE")) {
                lock.setString(1, externalId);
                lock.executeQuery().close();
            }
            // Read only after the lock is held, so the record cannot change under us.
            Optional<PersonRecord> record = Rows.person(connection, externalId);
            TransactionScope.bind(connection);
            return new JdbcPersonUnitOfWork(connection, writing, externalId, record, clock);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw Rows.failure("lock the person's record", e);
        }
    }

    /** The record as it was when the lock was taken; {@link #save} does not change what this returns. */
    @Override
    public Optional<PersonRecord> record() {
        return record;
    }

    @Override
    public Optional<HandledEvent> handled(EventKey key) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT outcome, outcome_type FROM handled_event WHERE event_source = ? AND event_id = ?")) {
            statement.setString(1, key.source());
            statement.setString(2, key.id());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new HandledEvent(AuditEntry.Outcome.valueOf(row.getString(1)),
                        Optional.ofNullable(row.getString(2)).map(OutcomeType::valueOf)));
            }
        } catch (SQLException e) {
            throw Rows.failure("look up a handled event", e);
        }
    }

    @Override
    public Optional<Intent> pendingIntent() {
        try {
            return Rows.intents(connection, "WHERE external_id = ? AND status = 'PENDING'", externalId)
                    .stream().findFirst();
        } catch (SQLException e) {
            throw Rows.failure("look up pending intents", e);
        }
    }

    @Override
    public Intent recordIntent(EventKey key, Intent.Action action, Optional<String> acsUserId) {
        var now = clock.instant();
        try (Connection writer = intentWrites.getConnection();
                PreparedStatement insert = writer.prepareStatement(
                        "INSERT INTO intent (external_id, event_source, event_id, action, acs_user_id, status,"
                                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, externalId);
            insert.setString(2, key.source());
            insert.setString(3, key.id());
            insert.setString(4, action.name());
            insert.setString(5, acsUserId.orElse(null));
            Rows.setInstant(insert, 6, now);
            Rows.setInstant(insert, 7, now);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new Intent(keys.getLong(1), externalId, key, action, acsUserId, Intent.Status.PENDING, now,
                        Optional.empty());
            }
        } catch (SQLException e) {
            throw Rows.failure("record an intent", e);
        }
    }

    @Override
    public Intent recordCreatedIdentity(Intent intent, String acsUserId) {
        updateIntent(intent, "acs_user_id = ?", acsUserId);
        return new Intent(intent.id(), intent.externalId(), intent.eventKey(), intent.action(),
                Optional.of(acsUserId), intent.status(), intent.createdAt(), intent.note());
    }

    @Override
    public void close(Intent intent, Intent.Status status, String note) {
        updateIntent(intent, "status = '" + status.name() + "', note = ?", Rows.clip(Optional.ofNullable(note), 1024));
    }

    /** Durable at once, on the intent connection: {@code assignment} sets columns from one parameter. */
    private void updateIntent(Intent intent, String assignment, String value) {
        try (Connection writer = intentWrites.getConnection();
                PreparedStatement update = writer.prepareStatement(
                        "UPDATE intent SET " + assignment + ", updated_at = ? WHERE id = ?")) {
            update.setString(1, value);
            Rows.setInstant(update, 2, clock.instant());
            update.setLong(3, intent.id());
            update.executeUpdate();
        } catch (SQLException e) {
            throw Rows.failure("update an intent", e);
        }
    }

    @Override
    public void saveIdentity(Optional<String> acsUserId) {
        if (record.isEmpty()) {
            throw new IllegalStateException("no record of " + externalId + " to give an identity");
        }
        update("UPDATE person SET acs_user_id = ?, updated_at = ? WHERE external_id = ?", statement -> {
            statement.setString(1, acsUserId.orElse(null));
            Rows.setInstant(statement, 2, clock.instant());
            statement.setString(3, externalId);
        }, "save a person's identity");
    }

    @Override
    public List<Operation> openOperations() {
        try {
            return Rows.operations(connection, "WHERE external_id = ? AND status = 'PENDING'", "id",
                    statement -> statement.setString(1, externalId)).stream()
                    .sorted(java.util.Comparator.comparingInt((Operation op) -> -op.kind().priority())
                            .thenComparingLong(Operation::id))
                    .toList();
        } catch (SQLException e) {
            throw Rows.failure("read a person's open operations", e);
        }
    }

    @Override
    public Optional<Operation> operation(long id) {
        try {
            return Rows.operations(connection, "WHERE id = ? AND external_id = ?", "id", statement -> {
                statement.setLong(1, id);
                statement.setString(2, externalId);
            }).stream().findFirst();
        } catch (SQLException e) {
            throw Rows.failure("read an operation", e);
        }
    }

    @Override
    public Operation record(Operation.Request request) {
        Instant now = clock.instant();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO operation (external_id, kind, acs_user_id, not_before, status, attempts, cause_source,"
                        + " cause_id, cause_type, effective_time, outcome_type, created_at, updated_at, trace_parent,"
                        + " trace_state) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, externalId);
            insert.setString(2, request.kind().name());
            insert.setString(3, request.acsUserId().orElse(null));
            Rows.setInstant(insert, 4, request.notBefore());
            insert.setString(5, request.cause().source());
            insert.setString(6, request.cause().id());
            insert.setString(7, Rows.clip(Optional.of(request.causeType()), 256));
            Rows.setInstant(insert, 8, request.effectiveTime());
            insert.setString(9, request.outcome().map(Enum::name).orElse(null));
            Rows.setInstant(insert, 10, now);
            Rows.setInstant(insert, 11, now);
            Rows.setTrace(insert, 12, request.trace());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new Operation(keys.getLong(1), externalId, request.kind(), request.acsUserId(),
                        request.notBefore(), Operation.Status.PENDING, 0, Optional.empty(), request.cause(),
                        request.causeType(), request.effectiveTime(), request.outcome(), now, Optional.empty(),
                        Optional.empty(), request.trace());
            }
        } catch (SQLException e) {
            throw Rows.failure("record an operation", e);
        }
    }

    @Override
    public Operation beginAttempt(Operation operation) {
        Optional<CreateRequest> createRequest = operation.kind() == Operation.Kind.CREATE
                ? Optional.of(operation.createRequest().orElseGet(() -> CreateRequest.first(firstSent())))
                : operation.createRequest();
        // COALESCE: a request once assigned is never replaced, whatever copy of the operation the caller holds.
        update("UPDATE operation SET attempts = attempts + 1, create_request_id = COALESCE(create_request_id, ?),"
                + " create_first_sent = COALESCE(create_first_sent, ?), updated_at = ? WHERE id = ?", statement -> {
            statement.setString(1, createRequest.map(r -> r.requestId().toString()).orElse(null));
            Rows.setInstant(statement, 2, createRequest.map(CreateRequest::firstSent).orElse(null));
            Rows.setInstant(statement, 3, clock.instant());
            statement.setLong(4, operation.id());
        }, "count an attempt");
        return operation(operation.id()).orElseThrow();
    }

    /** Whole seconds: the header is an HTTP-date, so what is stored is exactly what every attempt sends. */
    private Instant firstSent() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public void settleOrphan(Operation operation) {
        update("UPDATE operation SET orphan_settled_at = ?, updated_at = ? WHERE id = ?", statement -> {
            Instant now = clock.instant();
            Rows.setInstant(statement, 1, now);
            Rows.setInstant(statement, 2, now);
            statement.setLong(3, operation.id());
        }, "settle a possible orphan");
    }

    @Override
    public void retryLater(Operation operation, Instant notBefore, String error) {
        update("UPDATE operation SET not_before = ?, last_error = ?, updated_at = ? WHERE id = ?", statement -> {
            Rows.setInstant(statement, 1, notBefore);
            statement.setString(2, Rows.clip(Optional.ofNullable(error), 1024));
            Rows.setInstant(statement, 3, clock.instant());
            statement.setLong(4, operation.id());
        }, "note a failed attempt");
    }

    @Override
    public void close(Operation operation, Operation.Status status, String note) {
        // A note replaces the last error; none keeps it (a done operation still shows what it went through).
        update("UPDATE operation SET status = ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ?",
                statement -> {
            statement.setString(1, status.name());
            statement.setString(2, Rows.clip(Optional.ofNullable(note), 1024));
            Rows.setInstant(statement, 3, clock.instant());
            statement.setLong(4, operation.id());
        }, "close an operation");
    }

    @Override
    public void cancel(Operation operation, String why) {
        close(operation, Operation.Status.CANCELLED, why);
    }

    @Override
    public void convert(Operation operation, Operation.Kind kind, Instant notBefore) {
        // A new step: its attempts count from zero (a reversal trusts an identity whose deletion was never tried).
        update("UPDATE operation SET kind = ?, not_before = ?, attempts = 0, updated_at = ? WHERE id = ?", statement -> {
            statement.setString(1, kind.name());
            Rows.setInstant(statement, 2, notBefore);
            Rows.setInstant(statement, 3, clock.instant());
            statement.setLong(4, operation.id());
        }, "convert an operation");
    }

    @Override
    public void reopen(Operation operation, Instant notBefore) {
        update("UPDATE operation SET status = 'PENDING', not_before = ?, updated_at = ? WHERE id = ?", statement -> {
            Rows.setInstant(statement, 1, notBefore);
            Rows.setInstant(statement, 2, clock.instant());
            statement.setLong(3, operation.id());
        }, "reopen an operation");
    }

    private void update(String sql, Rows.Parameters parameters, String what) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw Rows.failure(what, e);
        }
    }

    @Override
    public void save(PersonRecord updated) {
        String sql = record.isPresent()
                ? "UPDATE person SET acs_user_id = ?, state = ?, last_event_time = ?, last_event_source = ?,"
                        + " last_event_id = ?, updated_at = ? WHERE external_id = ?"
                : "INSERT INTO person (acs_user_id, state, last_event_time, last_event_source, last_event_id,"
                        + " updated_at, external_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, updated.acsUserId().orElse(null));
            statement.setString(2, updated.state().name());
            Rows.setInstant(statement, 3, updated.lastEventTime());
            statement.setString(4, updated.lastEventKey().source());
            statement.setString(5, updated.lastEventKey().id());
            Rows.setInstant(statement, 6, clock.instant());
            statement.setString(7, externalId);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw Rows.failure("save a person's record", e);
        }
    }

    @Override
    public PersonTimeline timeline() {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT event_time, event_source, event_id, event_type FROM person_history WHERE external_id = ?")) {
            statement.setString(1, externalId);
            List<PersonTimeline.Entry> entries = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    entries.add(new PersonTimeline.Entry(new EventPosition(Rows.instant(row, 1),
                            new EventKey(row.getString(2), row.getString(3))), EventType.valueOf(row.getString(4))));
                }
            }
            return new PersonTimeline(entries);
        } catch (SQLException e) {
            throw Rows.failure("read a person's history", e);
        }
    }

    /** The history is a handful of rows (see {@link PersonTimeline}): replaced whole. */
    @Override
    public void saveTimeline(PersonTimeline timeline) {
        update("DELETE FROM person_history WHERE external_id = ?", statement -> statement.setString(1, externalId),
                "clear a person's history");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO person_history (external_id, event_time, event_source, event_id, event_type)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            for (PersonTimeline.Entry entry : timeline.events()) {
                insert.setString(1, externalId);
                Rows.setInstant(insert, 2, entry.position().time());
                insert.setString(3, entry.position().key().source());
                insert.setString(4, entry.position().key().id());
                insert.setString(5, entry.type().name());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw Rows.failure("save a person's history", e);
        }
    }

    @Override
    public Optional<EventPosition> identitySince() {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT identity_since_time, identity_since_source, identity_since_id FROM person WHERE external_id = ?")) {
            statement.setString(1, externalId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || row.getString(2) == null) {
                    return Optional.empty();
                }
                return Optional.of(new EventPosition(Rows.instant(row, 1), new EventKey(row.getString(2), row.getString(3))));
            }
        } catch (SQLException e) {
            throw Rows.failure("read when a person's identity was requested", e);
        }
    }

    @Override
    public void saveIdentitySince(Optional<EventPosition> since) {
        update("UPDATE person SET identity_since_time = ?, identity_since_source = ?, identity_since_id = ?"
                + " WHERE external_id = ?", statement -> {
            Rows.setInstant(statement, 1, since.map(EventPosition::time).orElse(null));
            statement.setString(2, since.map(p -> p.key().source()).orElse(null));
            statement.setString(3, since.map(p -> p.key().id()).orElse(null));
            statement.setString(4, externalId);
        }, "save when a person's identity was requested");
    }

    @Override
    public Optional<LifecycleEvent> pendingChange() {
        try {
            return Rows.pendingChange(connection, externalId);
        } catch (SQLException e) {
            throw Rows.failure("read a person's pending change", e);
        }
    }

    @Override
    public void savePendingChange(Optional<LifecycleEvent> change) {
        update("DELETE FROM pending_change WHERE external_id = ?", statement -> statement.setString(1, externalId),
                "clear a person's pending change");
        if (change.isEmpty()) {
            return;
        }
        LifecycleEvent event = change.get();
        update("INSERT INTO pending_change (external_id, event_source, event_id, event_type, publisher_type,"
                + " event_time, effective_time, reason, recorded_at, trace_parent, trace_state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", statement -> {
            statement.setString(1, externalId);
            statement.setString(2, event.key().source());
            statement.setString(3, event.key().id());
            statement.setString(4, event.type().name());
            statement.setString(5, Rows.clip(Optional.of(event.publisherType()), 256));
            Rows.setInstant(statement, 6, event.time());
            Rows.setInstant(statement, 7, event.effective());
            statement.setString(8, Rows.clip(event.reason(), 2048));
            Rows.setInstant(statement, 9, clock.instant());
            Rows.setTrace(statement, 10, event.trace());
        }, "save a person's pending change");
    }

    @Override
    public void markHandled(EventKey key, String subject, AuditEntry.Outcome outcome, Optional<OutcomeType> outcomeType) {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO handled_event (event_source, event_id, subject, outcome, outcome_type, handled_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, key.source());
            statement.setString(2, key.id());
            statement.setString(3, subject);
            statement.setString(4, outcome.name());
            statement.setString(5, outcomeType.map(OutcomeType::name).orElse(null));
            Rows.setInstant(statement, 6, clock.instant());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw Rows.failure("record a handled event", e);
        }
    }

    @Override
    public void audit(AuditEntry entry) {
        try {
            Rows.insertAudit(connection, entry);
        } catch (SQLException e) {
            throw Rows.failure("record an audit row", e);
        }
    }

    /** Part of the commit: the intent completes exactly when the result it led to is recorded. */
    @Override
    public void complete(Intent intent) {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE intent SET status = 'COMPLETED', updated_at = ? WHERE id = ?")) {
            Rows.setInstant(statement, 1, clock.instant());
            statement.setLong(2, intent.id());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw Rows.failure("complete an intent", e);
        }
    }

    @Override
    public void commit() {
        try {
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            throw Rows.failure("commit", e);
        }
    }

    @Override
    public void close() {
        TransactionScope.unbind();
        try {
            if (!committed) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is going back to the pool (or away); Hikari rolls back on return as well.
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more can be done for a connection that will not close.
        }
    }
}
