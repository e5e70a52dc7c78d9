package org.acslifecycle.execution;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.port.OperationQueue;

/**
 * The journal's scheduling, claiming and recovery, by db-scheduler (DESIGN §4): one execution per person and
 * kind of operation, claimed by one replica at a time, revived on another when its replica stops sending
 * heartbeats, picked highest priority first (revoke, cut-off, create, delete). The executions carry no data:
 * the operations are the ledger's; an execution only says "this person has work of this kind due".
 *
 * <p>It is built on the ledger's {@code transactionScope()}, so scheduling from inside a person's unit of
 * work commits with it, and so does what the runner does to its own execution when it finishes.
 */
public final class JournalExecutor implements OperationQueue, AutoCloseable {

    /** The task that applies a person's pending change at its effective time (DESIGN §3, effective dating). */
    static final String PENDING_CHANGE = "pending-change";

    /** Above every operation: a change that falls due decides what the operations are. */
    private static final int PENDING_CHANGE_PRIORITY = 50;

    /** Applies a person's pending change if it is due; says when to look again, if ever. */
    @FunctionalInterface
    public interface ChangeApplier {
        Optional<Instant> applyDue(String externalId);
    }

    private final Map<Operation.Kind, CustomTask<Void>> tasks;
    private final CustomTask<Void> pendingChange;
    private final SchedulerClient client;
    private final Scheduler scheduler;
    private final ChangeSlot changes;

    /** Where the applier goes once intake is built (intake needs this executor as its queue first). */
    private static final class ChangeSlot {
        volatile ChangeApplier applier;
    }

    private JournalExecutor(Map<Operation.Kind, CustomTask<Void>> tasks, ChangeSlot changes, SchedulerClient client,
            Scheduler scheduler) {
        this.tasks = tasks;
        this.changes = changes;
        this.pendingChange = pendingChangeTask(changes);
        this.client = client;
        this.scheduler = scheduler;
    }

    /** Who applies the pending changes that fall due: intake. Set before {@link #start()}. */
    public void onChangeDue(ChangeApplier applier) {
        changes.applier = applier;
    }

    /** The queue only, for commands that record work for a running worker to do (ops retry). */
    public static JournalExecutor queueOnly(DataSource transactionScope) {
        Map<Operation.Kind, CustomTask<Void>> tasks = tasks(null);
        ChangeSlot changes = new ChangeSlot();
        return new JournalExecutor(tasks, changes, client(transactionScope, all(tasks, changes)), null);
    }

    /** The executor proper, running {@code runner} on due work; started by {@link #start()}. */
    public static JournalExecutor running(DataSource transactionScope, ExecutorSettings settings, OperationRunner runner) {
        Map<Operation.Kind, CustomTask<Void>> tasks = tasks(runner);
        ChangeSlot changes = new ChangeSlot();
        Scheduler scheduler = Scheduler.create(transactionScope, all(tasks, changes))
                .threads(settings.threads())
                .pollingInterval(settings.pollInterval())
                .heartbeatInterval(settings.heartbeat())
                .missedHeartbeatsLimit(4)
                .enablePriority()
                .enableImmediateExecution()
                // The unit of work commits; the scheduler must not commit or roll back a connection it borrowed.
                .commitWhenAutocommitDisabled(false)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
        JournalExecutor executor = new JournalExecutor(tasks, changes, client(transactionScope, all(tasks, changes)),
                scheduler);
        runner.attach(executor);
        return executor;
    }

    /**
     * An executor that runs only when told ({@link #runDue}), on db-scheduler's manual scheduler: for tests and
     * drills that step through intake and execution deterministically.
     */
    public static JournalExecutor manual(DataSource transactionScope, OperationRunner runner) {
        Map<Operation.Kind, CustomTask<Void>> tasks = tasks(runner);
        ChangeSlot changes = new ChangeSlot();
        TestHelper.ManualSchedulerBuilder builder = TestHelper.createManualScheduler(transactionScope,
                all(tasks, changes)).clock(new SettableClock());
        builder.enablePriority().commitWhenAutocommitDisabled(false);
        ManualScheduler scheduler = builder.build();
        JournalExecutor executor = new JournalExecutor(tasks, changes, client(transactionScope, all(tasks, changes)),
                scheduler);
        runner.attach(executor);
        return executor;
    }

    /** Manual executors only: runs every execution due at {@code now}, one after another on this thread. */
    public void runDue(Instant now) {
        ManualScheduler manual = (ManualScheduler) scheduler;
        manual.setTime(now);
        manual.runAnyDueExecutions();
    }

    /** Whether any execution is due at {@code now} and not running (tests step until none is). */
    public boolean hasDue(Instant now) {
        java.util.concurrent.atomic.AtomicBoolean due = new java.util.concurrent.atomic.AtomicBoolean();
        client.fetchScheduledExecutions(execution -> {
            if (!execution.isPicked() && !execution.getExecutionTime().isAfter(now)) {
                due.set(true);
            }
        });
        return due.get();
    }

    /** Manual executors only: revives executions whose replica stopped sending heartbeats (a crash). */
    public void reviveDead(Instant now) {
        ManualScheduler manual = (ManualScheduler) scheduler;
        manual.setTime(now);
        manual.runDeadExecutionDetection();
    }

    private static SchedulerClient client(DataSource transactionScope, List<com.github.kagkarlsson.scheduler.task.Task<?>> tasks) {
        return SchedulerClient.Builder.create(transactionScope, tasks).enablePriority().build();
    }

    private static List<com.github.kagkarlsson.scheduler.task.Task<?>> all(Map<Operation.Kind, CustomTask<Void>> tasks,
            ChangeSlot changes) {
        List<com.github.kagkarlsson.scheduler.task.Task<?>> all = new java.util.ArrayList<>(tasks.values());
        all.add(pendingChangeTask(changes));
        return all;
    }

    private static CustomTask<Void> pendingChangeTask(ChangeSlot changes) {
        return Tasks.custom(PENDING_CHANGE, Void.class)
                .defaultPriority(PENDING_CHANGE_PRIORITY)
                .onDeadExecutionRevive()
                .execute((instance, context) -> (complete, operations) -> {
                    ChangeApplier applier = changes.applier;
                    if (applier == null) {
                        throw new IllegalStateException("no applier for pending changes");
                    }
                    Execution execution = new Execution(complete, operations);
                    applier.applyDue(instance.getId()).ifPresentOrElse(execution::runAgainAt, execution::finished);
                });
    }

    private static Map<Operation.Kind, CustomTask<Void>> tasks(OperationRunner runner) {
        Map<Operation.Kind, CustomTask<Void>> tasks = new EnumMap<>(Operation.Kind.class);
        for (Operation.Kind kind : Operation.Kind.values()) {
            tasks.put(kind, Tasks.custom(taskName(kind), Void.class)
                    .defaultPriority(kind.priority())
                    .onDeadExecutionRevive()
                    .execute((instance, context) -> (complete, operations) -> {
                        if (runner == null) {
                            throw new IllegalStateException("a queue-only executor runs nothing");
                        }
                        runner.run(instance.getId(), kind, new Execution(complete, operations));
                    }));
        }
        return tasks;
    }

    static String taskName(Operation.Kind kind) {
        return "acs-" + kind.name().toLowerCase().replace('_', '-');
    }

    public void start() {
        scheduler.start();
    }

    @Override
    public void schedule(String externalId, Operation.Kind kind, Instant due) {
        TaskInstance<Void> instance = tasks.get(kind).instanceBuilder(externalId).priority(kind.priority()).build();
        TaskInstanceId id = TaskInstanceId.of(instance.getTaskName(), externalId);
        Optional<ScheduledExecution<Object>> existing = client.getScheduledExecution(id);
        if (existing.isEmpty()) {
            client.scheduleIfNotExists(instance, due);
        } else if (!existing.get().isPicked() && existing.get().getExecutionTime().isAfter(due)) {
            client.reschedule(id, due);
        }
        // A picked execution is running: when it finishes it looks again at what is due, under the same lock.
    }

    @Override
    public void scheduleChange(String externalId, Instant effectiveAt) {
        TaskInstance<Void> instance = pendingChange.instanceBuilder(externalId).priority(PENDING_CHANGE_PRIORITY).build();
        TaskInstanceId id = TaskInstanceId.of(PENDING_CHANGE, externalId);
        Optional<ScheduledExecution<Object>> existing = client.getScheduledExecution(id);
        if (existing.isEmpty()) {
            client.scheduleIfNotExists(instance, effectiveAt);
        } else if (!existing.get().isPicked()) {
            client.reschedule(id, effectiveAt);
        }
        // A picked one is applying now: when it finishes it looks at the pending change again, under the lock.
    }

    @Override
    public void wake() {
        if (scheduler != null) {
            scheduler.triggerCheckForDueExecutions();
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }
}
