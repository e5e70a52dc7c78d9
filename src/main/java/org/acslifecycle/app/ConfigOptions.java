package org.acslifecycle.app;

import java.nio.file.Path;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigSource;
import org.acslifecycle.ledger.LedgerSettings;
import picocli.CommandLine.Option;

/** Where the configuration is, for every command; the ledger's settings come from it. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: config/local.properties, else the defaults in the jar). "
                    + "Environment variables override its keys: ledger.url -> LEDGER_URL.")
    Path file;

    Config config() {
        return ConfigSource.resolve(file, System.getenv());
    }

    static LedgerSettings ledgerSettings(Config config) {
        try {
            return new LedgerSettings(config.string("ledger.url"), config.optional("ledger.user").orElse(""),
                    config.secret("ledger.password").orElse(""), config.integer("ledger.pool-size", 2, 500));
        } catch (IllegalArgumentException e) {
            throw config.bad("ledger.url", e.getMessage());
        }
    }

    /** The composition root for this command's configuration. */
    Wiring wiring() {
        return Wiring.from(config());
    }
}
