package org.acslifecycle.core.reconcile;

/** A person's status in the HR roster export; the export's own words for each are mapped in {@link RosterFormat}. */
public enum RosterStatus {
    ACTIVE,
    SUSPENDED,
    TERMINATED
}
