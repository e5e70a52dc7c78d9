package org.acslifecycle.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.LedgerFailure;

/** The ledger's SQL and row mapping, in one place for both the ledger and its units of work. */
final class Rows {

    private static final int AUDIT_REASON_MAX = 2048;
    private static final int AUDIT_TYPE_MAX = 256;
    private static final int AUDIT_SUBJECT_MAX = 256;
    private static final int AUDIT_ID_MAX = 128;
    private static final int AUDIT_SOURCE_MAX = 1024;

    private Rows() {}

    static LedgerFailure failure(String what, SQLException e) {
        // SQLState and the driver's message name the problem; neither carries the URL's password.
        return new LedgerFailure("ledger could not " + what + " (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
    }

    static Optional<PersonRecord> person(Connection connection, String externalId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT acs_user_id, state, last_event_time, last_event_source, last_event_id"
                        + " FROM person WHERE external_id = ?")) {
            statement.setString(1, externalId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PersonRecord(externalId, Optional.ofNullable(row.getString(1)),
                        PersonState.valueOf(row.getString(2)), instant(row, 3),
                        new EventKey(row.getString(4), row.getString(5))));
            }
        }
    }

    /** Every person, streamed {@code fetchSize} rows at a time (the connection must not be in autocommit). */
    static void forEachPerson(Connection connection, int fetchSize, Consumer<PersonRecord> consumer) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT external_id, acs_user_id, state, last_event_time, last_event_source, last_event_id FROM person",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(fetchSize);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    consumer.accept(new PersonRecord(row.getString(1), Optional.ofNullable(row.getString(2)),
                            PersonState.valueOf(row.getString(3)), instant(row, 4),
                            new EventKey(row.getString(5), row.getString(6))));
                }
            }
        }
    }

    static void insertAudit(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO audit (event_id, event_source, event_type, subject, event_time, outcome,"
                        + " acs_user_id, reason, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            // A rejected message's attributes can be of any length: keep what fits, the rest is not evidence.
            statement.setString(1, clip(entry.eventId(), AUDIT_ID_MAX));
            statement.setString(2, clip(entry.eventSource(), AUDIT_SOURCE_MAX));
            statement.setString(3, clip(entry.eventType(), AUDIT_TYPE_MAX));
            statement.setString(4, clip(entry.subject(), AUDIT_SUBJECT_MAX));
            setInstant(statement, 5, entry.eventTime().orElse(null));
            statement.setString(6, entry.outcome().name());
            statement.setString(7, entry.acsUserId().orElse(null));
            statement.setString(8, clip(entry.reason(), AUDIT_REASON_MAX));
            statement.setString(9, clip(Optional.of(entry.actor()), AUDIT_SUBJECT_MAX));
            setInstant(statement, 10, entry.recordedAt());
            statement.executeUpdate();
        }
    }

    static List<AuditEntry> auditOf(Connection connection, String subject) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT event_id, event_source, event_type, subject, event_time, outcome, acs_user_id, reason,"
                        + " actor, recorded_at FROM audit WHERE subject = ? ORDER BY id")) {
            statement.setString(1, subject);
            try (ResultSet row = statement.executeQuery()) {
                List<AuditEntry> entries = new ArrayList<>();
                while (row.next()) {
                    entries.add(new AuditEntry(Optional.ofNullable(row.getString(1)),
                            Optional.ofNullable(row.getString(2)), Optional.ofNullable(row.getString(3)),
                            Optional.ofNullable(row.getString(4)), Optional.ofNullable(instant(row, 5)),
                            AuditEntry.Outcome.valueOf(row.getString(6)), Optional.ofNullable(row.getString(7)),
                            Optional.ofNullable(row.getString(8)), row.getString(9), instant(row, 10)));
                }
                return entries;
            }
        }
    }

    /** Intents matching {@code where} (with at most one string parameter), oldest first. */
    static List<Intent> intents(Connection connection, String where, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, external_id, event_source, event_id, action, acs_user_id, status, created_at, note"
                        + " FROM intent " + where + " ORDER BY id")) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet row = statement.executeQuery()) {
                List<Intent> intents = new ArrayList<>();
                while (row.next()) {
                    intents.add(new Intent(row.getLong(1), row.getString(2),
                            new EventKey(row.getString(3), row.getString(4)), Intent.Action.valueOf(row.getString(5)),
                            Optional.ofNullable(row.getString(6)), Intent.Status.valueOf(row.getString(7)),
                            instant(row, 8), Optional.ofNullable(row.getString(9))));
                }
                return intents;
            }
        }
    }

    static final String OPERATION_COLUMNS = "id, external_id, kind, acs_user_id, not_before, status, attempts, last_error,"
            + " cause_source, cause_id, cause_type, effective_time, outcome_type, created_at, create_request_id,"
            + " create_first_sent, orphan_settled_at, trace_parent, trace_state";

    /** Operations matching {@code where} (its parameters set by {@code parameters}), in {@code order}. */
    static List<Operation> operations(Connection connection, String where, String order, Parameters parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + OPERATION_COLUMNS + " FROM operation " + where + " ORDER BY " + order)) {
            parameters.set(statement);
            try (ResultSet row = statement.executeQuery()) {
                List<Operation> operations = new ArrayList<>();
                while (row.next()) {
                    operations.add(new Operation(row.getLong(1), row.getString(2), Operation.Kind.valueOf(row.getString(3)),
                            Optional.ofNullable(row.getString(4)), instant(row, 5), Operation.Status.valueOf(row.getString(6)),
                            row.getInt(7), Optional.ofNullable(row.getString(8)), new EventKey(row.getString(9), row.getString(10)),
                            row.getString(11), instant(row, 12), Optional.ofNullable(row.getString(13)).map(OutcomeType::valueOf),
                            instant(row, 14), createRequest(row, 15, 16), Optional.ofNullable(instant(row, 17)),
                            trace(row, 18)));
                }
                return operations;
            }
        }
    }

    /** Both columns or neither: they are set together, in the commit that counts a create's first attempt. */
    private static Optional<CreateRequest> createRequest(ResultSet row, int idColumn, int firstSentColumn)
            throws SQLException {
        String id = row.getString(idColumn);
        return id == null ? Optional.empty()
                : Optional.of(new CreateRequest(UUID.fromString(id), instant(row, firstSentColumn)));
    }

    /** A person's pending change (a future-dated event), if any. */
    static Optional<org.acslifecycle.core.LifecycleEvent> pendingChange(Connection connection, String externalId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT event_source, event_id, event_type,"
                + " publisher_type, event_time, effective_time, reason, trace_parent, trace_state FROM pending_change"
                + " WHERE external_id = ?")) {
            statement.setString(1, externalId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new org.acslifecycle.core.LifecycleEvent(new EventKey(row.getString(1),
                        row.getString(2)), org.acslifecycle.core.EventType.valueOf(row.getString(3)), row.getString(4),
                        externalId, instant(row, 5), Optional.ofNullable(row.getString(7)),
                        Optional.of(instant(row, 6)), trace(row, 8)));
            }
        }
    }

    /** The trace context in {@code column} (traceparent) and the next (tracestate), if one was stored. */
    private static Optional<org.acslifecycle.core.TraceContext> trace(ResultSet row, int column) throws SQLException {
        return org.acslifecycle.core.TraceContext.parse(row.getString(column), row.getString(column + 1));
    }

    /** Sets {@code index} (traceparent) and the next parameter (tracestate) from a trace context, or nulls. */
    static void setTrace(PreparedStatement statement, int index, Optional<org.acslifecycle.core.TraceContext> trace)
            throws SQLException {
        statement.setString(index, trace.map(org.acslifecycle.core.TraceContext::traceparent).orElse(null));
        statement.setString(index + 1, trace.flatMap(org.acslifecycle.core.TraceContext::tracestate).orElse(null));
    }

    /** Sets a statement's parameters. */
    interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static String clip(Optional<String> value, int max) {
        return value.map(v -> v.length() <= max ? v : v.substring(0, max)).orElse(null);
    }
}
