package org.acslifecycle.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The person stream on the embedded H2 file database. */
class ReconcilePersonStreamH2Test extends ReconcilePersonStreamContract {

    private Path directory;

    @Override
    protected LedgerSettings freshDatabase() {
        try {
            directory = Files.createTempDirectory("ledger-h2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LedgerSettings file = LedgerSettings.h2File(directory.resolve("ledger"));
        return new LedgerSettings(file.jdbcUrl(), file.user(), file.password(), 4);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
