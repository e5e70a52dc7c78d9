package org.acslifecycle.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A fresh H2 file database in a directory of its own, for the suites that run on H2 (as {@link PostgresDatabase}). */
public final class H2Database {

    private static final String FILE_URL = "jdbc:h2:file:";

    private H2Database() {}

    public static LedgerSettings freshFile(int poolSize) {
        try {
            LedgerSettings file = LedgerSettings.h2File(Files.createTempDirectory("ledger-h2").resolve("ledger"));
            return new LedgerSettings(file.jdbcUrl(), file.user(), file.password(), poolSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the directory {@link #freshFile} made for {@code settings}. */
    public static void drop(LedgerSettings settings) {
        Path directory = Path.of(settings.jdbcUrl().substring(FILE_URL.length())).getParent();
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
