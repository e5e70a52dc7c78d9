package org.acslifecycle.app;

import java.util.Optional;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.ledger.JdbcLedger;

/** What a paused worker checks before it resumes: can it write the ledger, and does ACS accept it. */
final class Probes {

    /** A well-formed id no identity has: ACS answers 404 (or 400) when it accepts our credentials. */
    static final String PROBE_IDENTITY = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";

    private Probes() {}

    static Optional<String> check(JdbcLedger ledger, IdentityDirectory acs) {
        try {
            ledger.ping();
        } catch (RuntimeException e) {
            return Optional.of("ledger: " + e.getMessage());
        }
        try {
            acs.revokeTokens(PROBE_IDENTITY);
        } catch (DirectoryFailure.Systemic refused) {
            return Optional.of("ACS still refuses our credentials (HTTP " + refused.status() + ")");
        } catch (DirectoryFailure.Transient unavailable) {
            return Optional.of("ACS unavailable: " + unavailable.getMessage());
        } catch (DirectoryFailure.Permanent acceptedButRejectedTheProbe) {
            // Authenticated and answered: good enough.
        }
        return Optional.empty();
    }
}
