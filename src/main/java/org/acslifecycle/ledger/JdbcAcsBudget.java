package org.acslifecycle.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.acslifecycle.core.port.AcsBudget;
import org.acslifecycle.core.port.IssueBudget;

/**
 * The ACS budgets in the ledger, so that every replica draws on one budget per operation and the resource as a
 * whole stays under its quota, however many replicas KEDA runs. Time is cut into short slices; a permit is one
 * conditional UPDATE of the operation's row: it succeeds while the slice has room, and fails (no row changed)
 * when it has none. Smooth slices at a margin under the quota, because ACS's windows are not aligned with ours.
 */
public final class JdbcAcsBudget implements AcsBudget {

    private final DataSource pool;
    private final Limits limits;
    private final Clock clock;

    JdbcAcsBudget(DataSource pool, Limits limits, Clock clock) {
        this.pool = pool;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Permits per slice for each call.
     *
     * @param perSlice calls allowed in one slice; a call not named is not limited
     * @param slice    the slice length
     */
    public record Limits(Map<Call, Integer> perSlice, Duration slice) {
        public Limits {
            perSlice = Map.copyOf(perSlice);
            Objects.requireNonNull(slice, "slice");
            if (slice.isZero() || slice.isNegative()) {
                throw new IllegalArgumentException("budget slice must be positive, was " + slice);
            }
        }

        /**
         * From quotas per window: one-second slices (or the window, if shorter) at {@code share} of the quota,
         * at least one call per slice.
         */
        public static Limits fromQuotas(Map<Call, Integer> quotaPerWindow, Duration window, double share) {
            long slices = Math.max(1, window.toSeconds());
            Map<Call, Integer> perSlice = new EnumMap<>(Call.class);
            quotaPerWindow.forEach((call, quota) ->
                    perSlice.put(call, (int) Math.max(1, Math.floor(quota * share / slices))));
            return new Limits(perSlice, window.dividedBy(slices));
        }
    }

    /** The issue-token budget, for the token service and the CLI's {@code token issue}. */
    public IssueBudget issueBudget() {
        return () -> {
            Permit permit = tryTake(Call.ISSUE_TOKEN);
            return permit.granted() ? new IssueBudget.Granted()
                    : new IssueBudget.Exhausted(permit.retryAfter().compareTo(Duration.ofSeconds(1)) < 0
                            ? Duration.ofSeconds(1) : permit.retryAfter());
        };
    }

    @Override
    public Permit tryTake(Call call) {
        Integer limit = limits.perSlice().get(call);
        if (limit == null) {
            return Permit.GRANTED;
        }
        long sliceMillis = limits.slice().toMillis();
        long now = clock.millis();
        long slice = now / sliceMillis;
        try (Connection connection = pool.getConnection();
                PreparedStatement take = connection.prepareStatement(
                        // A replica whose clock is behind counts against the newest slice rather than reopening an old one.
                        "UPDATE acs_budget SET used = CASE WHEN slice >= ? THEN used + 1 ELSE 1 END,"
                                + " slice = CASE WHEN slice >= ? THEN slice ELSE ? END"
                                + " WHERE operation = ? AND (slice < ? OR used < ?)")) {
            take.setLong(1, slice);
            take.setLong(2, slice);
            take.setLong(3, slice);
            take.setString(4, call.name());
            take.setLong(5, slice);
            take.setInt(6, limit);
            if (take.executeUpdate() == 1) {
                return Permit.GRANTED;
            }
            return Permit.exhausted(Duration.ofMillis((slice + 1) * sliceMillis - now));
        } catch (SQLException e) {
            throw Rows.failure("take an ACS budget permit", e);
        }
    }
}
