package org.acslifecycle.execution;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import java.time.Instant;

/**
 * The db-scheduler execution being run: one person's work of one kind. Whatever is done to it joins the unit
 * of work open on this thread, so it commits with the operation's result.
 */
final class Execution {

    private final ExecutionComplete complete;
    private final ExecutionOperations<Void> operations;

    Execution(ExecutionComplete complete, ExecutionOperations<Void> operations) {
        this.complete = complete;
        this.operations = operations;
    }

    /** Run again at {@code at}: more of the person's work of this kind is due then. */
    void runAgainAt(Instant at) {
        operations.reschedule(complete, at);
    }

    /** The person has no more work of this kind. */
    void finished() {
        operations.remove();
    }
}
