package org.acslifecycle.app;

import java.time.Clock;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import picocli.CommandLine.Option;

/** Where the ledger is, for every command that reads or writes it. The password comes only from the environment. */
final class LedgerOptions {

    @Option(names = "--ledger-url", paramLabel = "JDBC_URL",
            defaultValue = "${env:LEDGER_URL:-jdbc:h2:file:./data/ledger}",
            description = "Ledger database: jdbc:h2:file:... (default ${DEFAULT-VALUE}) or jdbc:postgresql://... "
                    + "Environment: LEDGER_URL.")
    String url;

    @Option(names = "--ledger-user", paramLabel = "USER", defaultValue = "${env:LEDGER_USER:-sa}",
            description = "Ledger database user. Environment: LEDGER_USER. The password is read from LEDGER_PASSWORD.")
    String user;

    @Option(names = "--ledger-pool-size", paramLabel = "N", defaultValue = "${env:LEDGER_POOL_SIZE:-10}",
            description = "Connections that may hold a person's lock at once (default ${DEFAULT-VALUE}).")
    int poolSize;

    LedgerSettings settings() {
        return new LedgerSettings(url, user, System.getenv().getOrDefault("LEDGER_PASSWORD", ""), poolSize);
    }

    JdbcLedger open() {
        return JdbcLedger.open(settings(), Clock.systemUTC());
    }
}
