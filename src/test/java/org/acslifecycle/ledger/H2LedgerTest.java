package org.acslifecycle.ledger;


/** The ledger suite on the embedded H2 file database, the local default. */
class H2LedgerTest extends LedgerSuite {

    @Override
    protected LedgerSettings freshDatabase(int poolSize) {
        return H2Database.freshFile(poolSize);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        H2Database.drop(settings);
    }
}
