package org.acslifecycle.core.port;

/** The ledger could not be read or written (database down, lock time-out, …). Safe to retry. */
public final class LedgerFailure extends RuntimeException {
    public LedgerFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
