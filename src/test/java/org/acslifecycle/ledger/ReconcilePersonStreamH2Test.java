package org.acslifecycle.ledger;


/** The person stream on the embedded H2 file database. */
class ReconcilePersonStreamH2Test extends ReconcilePersonStreamContract {

    @Override
    protected LedgerSettings freshDatabase() {
        return H2Database.freshFile(4);
    }

    @Override
    protected void dispose(LedgerSettings settings) {
        H2Database.drop(settings);
    }
}
