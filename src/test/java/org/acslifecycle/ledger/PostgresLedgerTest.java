package org.acslifecycle.ledger;

/** The ledger suite on the real local PostgreSQL server, as in production. */
class PostgresLedgerTest extends LedgerSuite {

    @Override
    protected LedgerSettings freshDatabase(int poolSize) {
        return PostgresDatabase.freshSchema(poolSize);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        PostgresDatabase.drop(settings);
    }
}
