package org.acslifecycle.execution;

import org.acslifecycle.ledger.H2Database;
import org.acslifecycle.ledger.LedgerSettings;

/** Safe offboarding on the embedded H2 file database. */
class SafeOffboardingH2Test extends SafeOffboardingSuite {

    @Override
    protected LedgerSettings freshDatabase(int poolSize) {
        return H2Database.freshFile(poolSize);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        H2Database.drop(settings);
    }
}
