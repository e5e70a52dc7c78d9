package org.acslifecycle.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real local PostgreSQL server the ledger tests run on (see README, "What the tests need"). Each
 * test gets a schema of its own, so runs never see each other's rows.
 */
final class PostgresDatabase {

    static final String URL = System.getProperty("test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/acs_lifecycle_test");
    static final String USER = System.getProperty("test.postgres.user", "postgres");

    private PostgresDatabase() {}

    /** A fresh schema; the returned settings point the ledger at it. */
    static LedgerSettings freshSchema(int poolSize) {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return new LedgerSettings(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, "", poolSize);
    }

    static void drop(LedgerSettings settings) {
        String url = settings.jdbcUrl();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests is not reachable at " + URL
                    + " (run .ci/ensure-postgres.sh, or set -Dtest.postgres.url): " + e.getMessage(), e);
        }
    }
}
