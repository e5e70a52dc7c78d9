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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.acslifecycle.ledger.LedgerSettings;

/**
 * The drills' own PostgreSQL (io.zonky's embedded server), not the machine's: the database drill kills it with
 * SIGKILL and starts it again on the same port and data directory, as a database host that crashes and comes back,
 * and workers reconnect to the address they were configured with. Each drill gets a schema of its own.
 */
public final class DrillDatabase implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    private DrillDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** A new server on a free port, with an empty data directory at {@code dataDirectory}. */
    public static DrillDatabase start(Path dataDirectory) {
        deleteRecursively(dataDirectory);
        DrillDatabase database = new DrillDatabase(dataDirectory, freePort());
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
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling("postgres.log").toFile()))
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
        deleteRecursively(dataDirectory);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
