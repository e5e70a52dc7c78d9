package org.acslifecycle.app;

import java.util.Optional;
import org.acslifecycle.ledger.JdbcLedger;

/** What a paused intake checks before it resumes: can it reach the ledger. */
final class Probes {

    private Probes() {}

    /** Intake needs only the ledger: ACS being down holds the executor's work, not intake's. */
    static Optional<String> ledger(JdbcLedger ledger) {
        try {
            ledger.ping();
        } catch (RuntimeException e) {
            return Optional.of("ledger: " + e.getMessage());
        }
        return Optional.empty();
    }
}
