package org.acslifecycle.core.port;

import java.time.Instant;
import org.acslifecycle.core.Operation;

/** Where the executor finds its work: intake and the executor tell it when a person has operations due. */
public interface OperationQueue {

    /**
     * Inside the unit of work that recorded the operation, and part of its transaction: the person's
     * operations of this kind run no later than {@code due}.
     */
    void schedule(String externalId, Operation.Kind kind, Instant due);

    /**
     * Inside the unit of work that recorded the person's pending change (a future-dated event): it is applied
     * at {@code effectiveAt}. A replaced one moves; one cancelled is found gone when its time comes.
     */
    void scheduleChange(String externalId, Instant effectiveAt);

    /** After a commit that recorded work due now: look for it at once rather than at the next poll. */
    void wake();
}
