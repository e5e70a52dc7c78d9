package org.acslifecycle.core;

/** A person's state in the ledger (DESIGN §3). DELETED is a tombstone that is kept. */
public enum PersonState {
    ACTIVE,
    SUSPENDED,
    DELETED
}
