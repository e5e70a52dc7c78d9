package org.acslifecycle.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.acslifecycle.core.DeletionPolicy;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.port.DeletionSafety;

/**
 * Legal holds and the deletion breaker in the ledger. The breaker is open while it holds any deletion an operator
 * has not released or cancelled, or while the deletions falling due within its window exceed the policy's
 * threshold: once open it stays open until a person decides, however the count moves. The count is taken for
 * every deletion that falls due (at most the delete quota, 16.7/s, over indexed columns): a cached count would let
 * a burst through before it was taken again.
 */
public final class JdbcDeletionSafety implements DeletionSafety {

    /** A person's deletion: a cut-off or a delete with an outcome (a clean-up of an unneeded identity has none). */
    private static final String PERSON_DELETION = "o.kind IN ('CUT_OFF', 'DELETE') AND o.outcome_type IS NOT NULL";

    private final DataSource pool;
    private final DeletionPolicy policy;
    private final Clock clock;
    /** What the breaker saw when it counted. */
    private record Evaluation(long counted, long live, boolean over) {}

    JdbcDeletionSafety(DataSource pool, DeletionPolicy policy, Clock clock) {
        this.pool = pool;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public Gate check(Operation deletion, Instant now) {
        try (Connection connection = pool.getConnection()) {
            Optional<LegalHold> hold = hold(connection, deletion.externalId());
            if (hold.isPresent()) {
                return new Gate.OnHold(hold.get());
            }
            Optional<Boolean> released = gate(connection, deletion.id());
            if (released.isPresent()) {
                return released.get() ? OPEN : new Gate.Breaker(reason(connection, now), false);
            }
            Optional<String> open = breakerOpen(connection, now);
            if (open.isEmpty()) {
                return OPEN;
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO deletion_gate (operation_id, external_id, held_at) VALUES (?, ?, ?)")) {
                insert.setLong(1, deletion.id());
                insert.setString(2, deletion.externalId());
                Rows.setInstant(insert, 3, now);
                insert.executeUpdate();
            } catch (SQLException raced) {
                // Another replica held it first (same primary key): it is held, and it told of it.
                return new Gate.Breaker(open.get(), false);
            }
            return new Gate.Breaker(open.get(), true);
        } catch (SQLException e) {
            throw Rows.failure("check a deletion against holds and the breaker", e);
        }
    }

    @Override
    public Optional<String> breakerOpen(Instant now) {
        try (Connection connection = pool.getConnection()) {
            return breakerOpen(connection, now);
        } catch (SQLException e) {
            throw Rows.failure("evaluate the deletion breaker", e);
        }
    }

    private Optional<String> breakerOpen(Connection connection, Instant now) throws SQLException {
        int held = heldCount(connection);
        Evaluation evaluation = evaluate(connection, now);
        if (held == 0 && !evaluation.over()) {
            return Optional.empty();
        }
        return Optional.of(describe(held, evaluation));
    }

    private String reason(Connection connection, Instant now) throws SQLException {
        return describe(heldCount(connection), evaluate(connection, now));
    }

    private String describe(int held, Evaluation evaluation) {
        return "deletion breaker open: " + held + " deletion(s) held for an operator; " + evaluation.counted()
                + " deletion(s) falling due within " + policy.breakerWindow() + " of " + evaluation.live()
                + " live identities (limit " + policy.breakerMaxDeletions() + ", or " + policy.breakerMaxShare() * 100
                + " % above " + policy.breakerMinDeletions() + "); `deletions list-held`, then `deletions release`"
                + " or `deletions cancel`";
    }

    private Evaluation evaluate(Connection connection, Instant now) throws SQLException {
        Instant ahead = now.plus(policy.breakerWindow());
        long counted;
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM operation o LEFT JOIN deletion_gate g ON g.operation_id = o.id"
                        + " WHERE " + PERSON_DELETION + " AND g.released_at IS NULL AND ("
                        + " (o.status = 'PENDING' AND ((o.kind = 'DELETE' AND o.not_before <= ?)"
                        + "   OR (o.kind = 'CUT_OFF' AND o.effective_time <= ?))"
                        + "   AND o.external_id NOT IN (SELECT external_id FROM legal_hold))"
                        + " OR (o.status = 'DONE' AND o.updated_at >= ?))")) {
            Rows.setInstant(count, 1, ahead);
            Rows.setInstant(count, 2, ahead.minus(policy.grace()));
            Rows.setInstant(count, 3, now.minus(policy.breakerWindow()));
            counted = single(count);
        }
        long live;
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM person WHERE acs_user_id IS NOT NULL")) {
            live = single(count);
        }
        return new Evaluation(counted, live, policy.opens(counted, live));
    }

    @Override
    public int heldCount() {
        try (Connection connection = pool.getConnection()) {
            return heldCount(connection);
        } catch (SQLException e) {
            throw Rows.failure("count held deletions", e);
        }
    }

    private static int heldCount(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "SELECT COUNT(*) FROM deletion_gate g JOIN operation o ON o.id = g.operation_id"
                        + " WHERE g.released_at IS NULL AND o.status = 'PENDING'")) {
            return (int) single(count);
        }
    }

    @Override
    public List<Operation> heldByBreaker() {
        try (Connection connection = pool.getConnection()) {
            return Rows.operations(connection, "WHERE status = 'PENDING' AND id IN (SELECT operation_id FROM"
                    + " deletion_gate WHERE released_at IS NULL)", "id", statement -> {});
        } catch (SQLException e) {
            throw Rows.failure("list held deletions", e);
        }
    }

    @Override
    public void release(List<Operation> deletions, String operator, String reason, Instant now) {
        try (Connection connection = pool.getConnection()) {
            for (Operation deletion : deletions) {
                int updated;
                try (PreparedStatement update = connection.prepareStatement("UPDATE deletion_gate SET released_at = ?,"
                        + " operator = ?, reason = ? WHERE operation_id = ? AND released_at IS NULL")) {
                    Rows.setInstant(update, 1, now);
                    update.setString(2, operator);
                    update.setString(3, Rows.clip(Optional.of(reason), 1024));
                    update.setLong(4, deletion.id());
                    updated = update.executeUpdate();
                }
                if (updated == 0) {
                    // Not held yet (released ahead of the breaker): it goes ahead when it falls due.
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO deletion_gate"
                            + " (operation_id, external_id, released_at, operator, reason) VALUES (?, ?, ?, ?, ?)")) {
                        insert.setLong(1, deletion.id());
                        insert.setString(2, deletion.externalId());
                        Rows.setInstant(insert, 3, now);
                        insert.setString(4, operator);
                        insert.setString(5, Rows.clip(Optional.of(reason), 1024));
                        insert.executeUpdate();
                    } catch (SQLException raced) {
                        // Released by someone else meanwhile: released either way.
                    }
                }
            }
        } catch (SQLException e) {
            throw Rows.failure("release held deletions", e);
        }
    }

    @Override
    public Optional<LegalHold> hold(String externalId) {
        try (Connection connection = pool.getConnection()) {
            return hold(connection, externalId);
        } catch (SQLException e) {
            throw Rows.failure("read a legal hold", e);
        }
    }

    @Override
    public List<LegalHold> holds() {
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT external_id, reason, operator, placed_at FROM legal_hold ORDER BY external_id");
                ResultSet row = select.executeQuery()) {
            List<LegalHold> holds = new ArrayList<>();
            while (row.next()) {
                holds.add(new LegalHold(row.getString(1), row.getString(2), row.getString(3), Rows.instant(row, 4)));
            }
            return holds;
        } catch (SQLException e) {
            throw Rows.failure("list legal holds", e);
        }
    }

    @Override
    public void placeHold(LegalHold hold) {
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM legal_hold WHERE external_id = ?")) {
                delete.setString(1, hold.externalId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO legal_hold (external_id, reason, operator, placed_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, hold.externalId());
                insert.setString(2, Rows.clip(Optional.of(hold.reason()), 1024));
                insert.setString(3, Rows.clip(Optional.of(hold.operator()), 256));
                Rows.setInstant(insert, 4, hold.placedAt());
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw Rows.failure("place a legal hold", e);
        }
    }

    @Override
    public boolean liftHold(String externalId) {
        try (Connection connection = pool.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM legal_hold WHERE external_id = ?")) {
            delete.setString(1, externalId);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Rows.failure("lift a legal hold", e);
        }
    }

    private static Optional<LegalHold> hold(Connection connection, String externalId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT reason, operator, placed_at FROM legal_hold WHERE external_id = ?")) {
            select.setString(1, externalId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new LegalHold(externalId, row.getString(1), row.getString(2),
                        Rows.instant(row, 3))) : Optional.empty();
            }
        }
    }

    /** Empty: the breaker never held it; true: held and released; false: held. */
    private static Optional<Boolean> gate(Connection connection, long operationId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT released_at FROM deletion_gate WHERE operation_id = ?")) {
            select.setLong(1, operationId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(Rows.instant(row, 1) != null) : Optional.empty();
            }
        }
    }

    private static long single(PreparedStatement count) throws SQLException {
        try (ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
