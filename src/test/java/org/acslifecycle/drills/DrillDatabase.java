package org.acslifecycle.drills;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.acslifecycle.ledger.LedgerSettings;

/**
 * The drills' own PostgreSQL (io.zonky's embedded server), not the machine's: the database drill kills it with
 * SIGKILL and starts it again on the same port and data directory, as a database host that crashes and comes back,
 * and workers reconnect to the address they were configured with. Each drill gets a schema of its own.
 */
public final class DrillDatabase implements AutoCloseable {

    private final Path dataDirectory;
    private final Path log;
    private final int port;
    private EmbeddedPostgres postgres;

    private DrillDatabase(Path directory, int port) {
        this.dataDirectory = directory.resolve("data");
        this.log = directory.resolve("postgres.log");
        this.port = port;
    }

    /**
     * A new server on a free port, in an emptied {@code directory}: its data directory {@code data/} and its output,
     * {@code postgres.log}.
     */
    public static DrillDatabase start(Path directory) {
        Directories.delete(directory);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DrillDatabase database = new DrillDatabase(directory, freePort());
        database.restart();
        return database;
    }

    /** A fresh schema; the settings point a ledger (or a worker's {@code ledger.url}) at it. */
    public LedgerSettings freshSchema(int poolSize) {
        String schema = "d_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return new LedgerSettings(url() + "&currentSchema=" + schema, "postgres", "", poolSize);
    }

    public void drop(LedgerSettings settings) {
        String url = settings.jdbcUrl();
        execute("DROP SCHEMA IF EXISTS " + url.substring(url.indexOf("currentSchema=") + "currentSchema=".length())
                + " CASCADE");
    }

    /**
     * SIGKILL to the postmaster and every backend: no checkpoint, no goodbye to clients; the next start runs crash
     * recovery from the write-ahead log. zonky's handle is closed afterwards only to free its lock on the directory
     * (its {@code pg_ctl stop} finds nothing to stop, and the data directory is kept).
     */
    public synchronized void kill() {
        Process postmaster = postgres.getProcess();
        List<ProcessHandle> backends = postmaster.toHandle().descendants().toList();
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        try {
            postmaster.waitFor();
            for (ProcessHandle backend : backends) {
                backend.onExit().join();
            }
            postgres.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing PostgreSQL", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = null;
    }

    /** Starts the server (again) on the same port and data directory. */
    public synchronized void restart() {
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL is running");
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the drills' PostgreSQL on port " + port, e);
        }
    }

    public synchronized boolean running() {
        return postgres != null;
    }

    public int port() {
        return port;
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url(), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the drills' PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        Directories.delete(dataDirectory); // the log stays, for the secrets drill and for whoever reads it
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
