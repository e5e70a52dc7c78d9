package org.acslifecycle.ledger;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the ledger lives. {@code jdbc:h2:...} (embedded, the local default) or {@code jdbc:postgresql:...}
 * (production). The password is never printed: {@link #toString()} leaves it out.
 *
 * @param poolSize how many units of work may hold a person's lock at once; size it at least to the
 *                 worker's concurrency, or handlers wait for a connection
 */
public record LedgerSettings(String jdbcUrl, String user, String password, int poolSize) {

    /** H2 must speak PostgreSQL's dialect so that one set of migrations and SQL serves both. */
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    /** H2 gives up waiting for a row lock after 1 s by default; a person's lock is held across an ACS call. */
    private static final String H2_LOCK_TIMEOUT = ";LOCK_TIMEOUT=60000";
    /**
     * H2's automatic mixed mode, so that operator commands work beside a running {@code local}: embedded H2 locks its
     * file to one process. With it the first process to open the file serves it over TCP and every later one (a CLI
     * command in a second terminal) connects to that server, which it finds through the lock file; the file's URL
     * stays the same for both, so the CLI needs no other configuration than the worker. All connections then reach
     * one database engine, so {@code SELECT ... FOR UPDATE} on {@code person_lock} serialises a person across the
     * processes, Flyway in the later process finds the schema migrated, and db-scheduler's executions scheduled by a
     * command are the worker's to poll. When the serving process exits, the others reconnect and one serves.
     * Chosen over a TCP server of our own ({@code jdbc:h2:tcp:}) because {@code local}, a lone command and tests keep
     * one URL and need nothing started first. The server listens on every interface (H2 passes
     * {@code -tcpAllowOthers}) but answers only to the random key written in the lock file beside the database, so
     * only someone who can read the data directory gets in. Only file databases: memory ones are one process's.
     */
    private static final String H2_AUTO_SERVER = ";AUTO_SERVER=TRUE";

    public LedgerSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("ledger URL must start with jdbc:h2: or jdbc:postgresql:");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("ledger pool size must be at least 2, was " + poolSize);
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    public static LedgerSettings h2File(Path file) {
        return new LedgerSettings("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "", 10);
    }

    /** The URL the driver gets: for H2, with the options the ledger's SQL relies on. */
    public String effectiveUrl() {
        if (!isH2()) {
            return jdbcUrl;
        }
        String url = jdbcUrl;
        if (!url.toUpperCase().contains(";MODE=")) {
            url += H2_OPTIONS;
        }
        if (!url.toUpperCase().contains(";LOCK_TIMEOUT=")) {
            url += H2_LOCK_TIMEOUT;
        }
        if (jdbcUrl.startsWith("jdbc:h2:file:") && !url.toUpperCase().contains(";AUTO_SERVER=")) {
            url += H2_AUTO_SERVER;
        }
        return url;
    }

    boolean isH2() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
        return "LedgerSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
