package org.acslifecycle.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import java.util.function.Consumer;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.LedgerFailure;
import org.acslifecycle.core.port.PersonUnitOfWork;
import org.flywaydb.core.Flyway;

/**
 * The ledger on JDBC: H2 by default, PostgreSQL in production, one schema managed by Flyway.
 *
 * <p>Two pools, so that a unit of work holding a person's lock (a long transaction, across an ACS call)
 * can always write its intents: those go through the short-lived autocommit pool, which never waits on a
 * person's lock and so cannot be starved by units waiting for one.
 */
public final class JdbcLedger implements Ledger, AutoCloseable {

    private final HikariDataSource lockingPool;
    private final HikariDataSource writingPool;
    private final Clock clock;
    private final TransactionScope transactionScope;

    private JdbcLedger(HikariDataSource lockingPool, HikariDataSource writingPool, Clock clock) {
        this.lockingPool = lockingPool;
        this.writingPool = writingPool;
        this.clock = clock;
        this.transactionScope = new TransactionScope(writingPool);
    }

    /**
     * For the journal's scheduler: on a thread with a unit of work open, the unit's connection (so what it
     * schedules commits with the unit); elsewhere, an autocommit connection of the ledger's.
     */
    public DataSource transactionScope() {
        return transactionScope;
    }

    /** The ACS budgets, shared through the ledger by every replica. */
    public JdbcAcsBudget budget(JdbcAcsBudget.Limits limits) {
        return new JdbcAcsBudget(writingPool, limits, clock);
    }

    /**
     * When each person's pending termination (a future-dated offboarding or suspension) takes effect: the token
     * paths cap a token's expiry there.
     */
    public org.acslifecycle.core.port.PendingTerminations pendingTerminations() {
        return externalId -> pendingChange(externalId)
                .filter(change -> change.type() == org.acslifecycle.core.EventType.OFFBOARDED
                        || change.type() == org.acslifecycle.core.EventType.SUSPENDED)
                .map(org.acslifecycle.core.LifecycleEvent::effective);
    }

    /** A person's pending change (a future-dated event), shown by {@code ledger history}. */
    public Optional<org.acslifecycle.core.LifecycleEvent> pendingChange(String externalId) {
        try (Connection connection = writingPool.getConnection()) {
            return Rows.pendingChange(connection, externalId);
        } catch (SQLException e) {
            throw Rows.failure("read a pending change", e);
        }
    }

    /** Legal holds and the deletion breaker, shared through the ledger by every replica and command. */
    public JdbcDeletionSafety deletionSafety(org.acslifecycle.core.DeletionPolicy policy) {
        return new JdbcDeletionSafety(writingPool, policy, clock);
    }

    /** Migrates the schema to the newest version, then opens the pools. */
    public static JdbcLedger open(LedgerSettings settings, Clock clock) {
        HikariDataSource locking = pool(settings, "ledger-locking", settings.poolSize());
        HikariDataSource writing = null;
        try {
            Flyway.configure().dataSource(locking).load().migrate();
            // Intents, audit rows outside a unit, the budgets and the journal's scheduler (its polls, heartbeats).
            writing = pool(settings, "ledger-writing", Math.max(4, settings.poolSize()));
            return new JdbcLedger(locking, writing, clock);
        } catch (RuntimeException e) {
            locking.close();
            if (writing != null) {
                writing.close();
            }
            throw new LedgerFailure("cannot open the ledger at " + settings.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(LedgerSettings settings, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(settings.effectiveUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        // Units wait here while others hold connections; long enough to ride out a burst on one person.
        config.setConnectionTimeout(60_000);
        config.setInitializationFailTimeout(10_000);
        return new HikariDataSource(config);
    }

    @Override
    public PersonUnitOfWork open(String externalId) {
        return JdbcPersonUnitOfWork.open(lockingPool, writingPool, externalId, clock);
    }

    @Override
    public void audit(AuditEntry entry) {
        try (Connection connection = writingPool.getConnection()) {
            Rows.insertAudit(connection, entry);
        } catch (SQLException e) {
            throw Rows.failure("record an audit row", e);
        }
    }

    @Override
    public Optional<PersonRecord> person(String externalId) {
        try (Connection connection = writingPool.getConnection()) {
            return Rows.person(connection, externalId);
        } catch (SQLException e) {
            throw Rows.failure("read a person's record", e);
        }
    }

    @Override
    public Optional<PersonHistory> history(String externalId) {
        try (Connection connection = writingPool.getConnection()) {
            Optional<PersonRecord> record = Rows.person(connection, externalId);
            List<AuditEntry> audit = Rows.auditOf(connection, externalId);
            List<Intent> intents = Rows.intents(connection, "WHERE external_id = ?", externalId);
            List<Operation> operations = Rows.operations(connection, "WHERE external_id = ?", "id",
                    statement -> statement.setString(1, externalId));
            if (record.isEmpty() && audit.isEmpty() && intents.isEmpty() && operations.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PersonHistory(record, audit, intents, operations));
        } catch (SQLException e) {
            throw Rows.failure("read the history of a person", e);
        }
    }

    @Override
    public List<Operation> operations(Set<Operation.Status> statuses, int limit) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        // Status names are our enum's, never input: safe to inline.
        String in = statuses.stream().map(status -> "'" + status.name() + "'").collect(Collectors.joining(", "));
        try (Connection connection = writingPool.getConnection()) {
            return Rows.operations(connection, "WHERE status IN (" + in + ")", "id LIMIT " + Math.max(1, limit),
                    statement -> {});
        } catch (SQLException e) {
            throw Rows.failure("list operations", e);
        }
    }

    @Override
    public long countOperations(Operation.Kind kind, Operation.Status status) {
        try (Connection connection = writingPool.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM operation WHERE kind = ? AND status = ?")) {
            count.setString(1, kind.name());
            count.setString(2, status.name());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw Rows.failure("count operations", e);
        }
    }

    @Override
    public List<Operation> possibleOrphans() {
        try (Connection connection = writingPool.getConnection()) {
            return Rows.operations(connection, "WHERE kind = 'CREATE' AND orphan_settled_at IS NULL"
                    + " AND ((status = 'DONE' AND attempts > 1) OR (status <> 'DONE' AND attempts > 0))", "id", statement -> {});
        } catch (SQLException e) {
            throw Rows.failure("list possible orphans", e);
        }
    }

    @Override
    public Optional<Operation> operation(long id) {
        try (Connection connection = writingPool.getConnection()) {
            return Rows.operations(connection, "WHERE id = ?", "id", statement -> statement.setLong(1, id))
                    .stream().findFirst();
        } catch (SQLException e) {
            throw Rows.failure("read an operation", e);
        }
    }

    @Override
    public List<Intent> incompleteIntents() {
        try (Connection connection = writingPool.getConnection()) {
            return Rows.intents(connection, "WHERE status IN ('PENDING', 'ABANDONED')", null);
        } catch (SQLException e) {
            throw Rows.failure("list incomplete intents", e);
        }
    }

    /** Rows fetched per round trip when streaming all people. */
    private static final int PERSON_FETCH_SIZE = 1000;

    @Override
    public void forEachPerson(Consumer<PersonRecord> consumer) {
        try (Connection connection = writingPool.getConnection()) {
            // PostgreSQL streams with a fetch size only inside a transaction; H2 takes it as a hint.
            connection.setAutoCommit(false);
            try {
                Rows.forEachPerson(connection, PERSON_FETCH_SIZE, consumer);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Rows.failure("read all people", e);
        }
    }

    /** Fails with a {@link LedgerFailure} unless the database answers a trivial query. */
    public void ping() {
        try (Connection connection = writingPool.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw Rows.failure("answer a ping", e);
        }
    }

    @Override
    public void close() {
        writingPool.close();
        lockingPool.close();
    }
}
