package org.acslifecycle.core;

/**
 * A person's state in the ledger (DESIGN §3). OFFBOARDED: access cut, the identity's deletion pending (kept
 * until the grace period ends and no hold or breaker holds it; reversible until then). DELETED is a tombstone
 * that is kept.
 */
public enum PersonState {
    ACTIVE,
    SUSPENDED,
    OFFBOARDED,
    DELETED
}
