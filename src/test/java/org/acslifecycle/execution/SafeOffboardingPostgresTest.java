package org.acslifecycle.execution;

import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.ledger.PostgresDatabase;

/** Safe offboarding on PostgreSQL, as in production. */
class SafeOffboardingPostgresTest extends SafeOffboardingSuite {

    @Override
    protected LedgerSettings freshDatabase(int poolSize) {
        return PostgresDatabase.freshSchema(poolSize);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        PostgresDatabase.drop(settings);
    }
}
