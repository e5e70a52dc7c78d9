package org.acslifecycle.ledger;

/** The person stream on PostgreSQL, where a fetch size streams only outside autocommit. */
class ReconcilePersonStreamPostgresTest extends ReconcilePersonStreamContract {

    @Override
    protected LedgerSettings freshDatabase() {
        return PostgresDatabase.freshSchema(4);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        PostgresDatabase.drop(settings);
    }
}
