package org.acslifecycle.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.acslifecycle.ledger.LedgerSettings;

/** Safe offboarding on the embedded H2 file database. */
class SafeOffboardingH2Test extends SafeOffboardingSuite {

    private Path directory;

    @Override
    protected LedgerSettings freshDatabase(int poolSize) {
        try {
            directory = Files.createTempDirectory("safe-offboarding-h2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LedgerSettings file = LedgerSettings.h2File(directory.resolve("ledger"));
        return new LedgerSettings(file.jdbcUrl(), file.user(), file.password(), poolSize);
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
