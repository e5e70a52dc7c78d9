package org.acslifecycle.core.port.in;

import org.acslifecycle.core.Handled;
import org.acslifecycle.core.LifecycleEvent;

/**
 * The in-port the messaging adapter reaches the core through: decide one event and record the decision, the
 * handled event and the ACS operations it implies, in one ledger transaction. Never waits for ACS.
 */
public interface EventIntake {

    /** @throws org.acslifecycle.core.port.LedgerFailure when the ledger cannot be written: nothing was recorded */
    Handled record(LifecycleEvent event);
}
