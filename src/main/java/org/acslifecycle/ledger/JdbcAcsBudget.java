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
 * when it has none. Smooth slices a margin under the quota, because ACS's window slides over ours.
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
     * Permits per slice for each call, fractional: slice {@code n} allows {@code floor((n+1)·p) - floor(n·p)}, so
     * the slices average {@code p} exactly instead of rounding every one down.
     *
     * @param perSlice calls allowed per slice, on average; a call not named is not limited
     * @param slice    the slice length
     */
    public record Limits(Map<Call, Double> perSlice, Duration slice) {
        public Limits {
            perSlice = Map.copyOf(perSlice);
            Objects.requireNonNull(slice, "slice");
            if (slice.isZero() || slice.isNegative()) {
                throw new IllegalArgumentException("budget slice must be positive, was " + slice);
            }
        }

        /**
         * From quotas per window, in one-second slices. The share of the quota used is as high as stays safe: ACS
         * counts a sliding window, which can overlap W+1 of our slices, so the share must stay under W/(W+1)
         * (30 s: 0.968); at most 95 %, and 1 % under that bound.
         */
        public static Limits fromQuotas(Map<Call, Integer> quotaPerWindow, Duration window) {
            long slices = Math.max(1, window.toSeconds());
            double share = Math.min(0.95, 0.99 * slices / (slices + 1.0));
            Map<Call, Double> perSlice = new EnumMap<>(Call.class);
            quotaPerWindow.forEach((call, quota) -> perSlice.put(call, quota * share / slices));
            return new Limits(perSlice, window.dividedBy(slices));
        }

        /** Permits in slice number {@code slice} for a call allowed {@code perSlice} on average. */
        static int limitIn(long slice, double perSlice) {
            return (int) (Math.floor((slice + 1) * perSlice) - Math.floor(slice * perSlice));
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
        Double average = limits.perSlice().get(call);
        if (average == null) {
            return Permit.GRANTED;
        }
        long sliceMillis = limits.slice().toMillis();
        long now = clock.millis();
        long slice = now / sliceMillis;
        int limit = Limits.limitIn(slice, average);
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
