package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.OperationQueue;
import org.acslifecycle.core.port.PersonUnitOfWork;
import org.acslifecycle.core.port.in.EventIntake;

/**
 * Intake (DESIGN §4): under the person's lock, insert the event into the person's history, fold the state table
 * over it in time order and diff the result against what ACS holds ({@link Convergence}), and record, in one
 * transaction, the new record and history, the handled event, the audit row and the journal operations the
 * diff asks for. ACS is never called here; the executor does the operations.
 *
 * <p>Crash windows, and what each leaves behind:
 * <ol>
 *   <li>before the commit: nothing; the redelivered event starts afresh.</li>
 *   <li>after the commit, before the message is settled: the redelivered event is a duplicate; its
 *       operations are in the journal already, exactly once.</li>
 * </ol>
 * The executor's own windows are in {@code execution.OperationRunner}.
 */
public final class IntakeService implements EventIntake {

    private final Ledger ledger;
    private final OperationQueue queue;
    private final Clock clock;

    public IntakeService(Ledger ledger, OperationQueue queue, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Handled record(LifecycleEvent event) {
        Handled handled;
        try (PersonUnitOfWork work = ledger.open(event.subject())) {
            handled = decide(work, event);
            work.commit();
        }
        if (handled instanceof Handled.Applied applied && !applied.operations().isEmpty()) {
            queue.wake();
        }
        return handled;
    }

    /**
     * At its effective time (the executor asks): applies the person's pending change as if it arrived now.
     * Returns when to look again: never once applied (or gone); the new effective time if it was replaced by a later
     * one meanwhile.
     */
    public Optional<Instant> applyDue(String externalId) {
        Handled handled;
        Instant now = clock.instant();
        try (PersonUnitOfWork work = ledger.open(externalId)) {
            Optional<LifecycleEvent> change = work.pendingChange();
            if (change.isEmpty()) {
                return Optional.empty();
            }
            if (change.get().isFutureDated(now)) {
                return Optional.of(change.get().effective());
            }
            work.savePendingChange(Optional.empty());
            handled = apply(work, change.get(), now, false);
            work.commit();
        }
        queue.wake();
        Handled applied = handled;
        applyListener.accept(applied);
        return Optional.empty();
    }

    /** Told of each pending change applied (the worker publishes its outcome, as for a message). */
    public void onApplied(Consumer<Handled> listener) {
        this.applyListener = Objects.requireNonNull(listener, "listener");
    }

    private volatile Consumer<Handled> applyListener = handled -> {};

    private Handled decide(PersonUnitOfWork work, LifecycleEvent event) {
        Instant now = clock.instant();
        Optional<HandledEvent> before = work.handled(event.key());
        if (before.isPresent()) {
            Optional<String> identity = work.record().flatMap(PersonRecord::acsUserId);
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.DUPLICATE, identity, event.reason(), now));
            return new Handled.Duplicate(event, before.get().outcomeType(), work.record());
        }
        Optional<LifecycleEvent> pending = work.pendingChange();
        EventPosition position = EventPosition.of(event);
        boolean newerThanPending = pending.map(p -> EventPosition.of(p).isBefore(position)).orElse(true);
        if (event.isFutureDated(now)) {
            return schedule(work, event, pending, newerThanPending, now);
        }
        if (pending.isPresent() && newerThanPending) {
            // A newer event cancels the pending change: what HR says now supersedes what it said would happen.
            supersede(work, pending.get(), event, now);
            work.savePendingChange(Optional.empty());
        }
        return apply(work, event, now, true);
    }

    /**
     * A future-dated event becomes the person's pending change, unless something newer (by time) already is or
     * already happened: then it is superseded before it takes effect, and stale.
     */
    private Handled schedule(PersonUnitOfWork work, LifecycleEvent event, Optional<LifecycleEvent> pending,
            boolean newerThanPending, Instant now) {
        Optional<String> identity = work.record().flatMap(PersonRecord::acsUserId);
        boolean newerThanHistory = work.record().map(r -> r.lastEvent().isBefore(EventPosition.of(event)))
                .orElse(true);
        if (!newerThanPending || !newerThanHistory) {
            work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.STALE, Optional.empty());
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.STALE, identity, Optional.of(
                    "superseded before its effective time " + event.effective() + " by a newer event"), now));
            return new Handled.Stale(event, work.record());
        }
        pending.ifPresent(replaced -> supersede(work, replaced, event, now));
        work.savePendingChange(Optional.of(event));
        queue.scheduleChange(event.subject(), event.effective());
        work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.SCHEDULED, Optional.empty());
        work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.SCHEDULED, identity,
                Optional.of("takes effect at " + event.effective() + event.reason().map(r -> "; " + r).orElse("")), now));
        return new Handled.Scheduled(event, event.effective(), work.record());
    }

    private static void supersede(PersonUnitOfWork work, LifecycleEvent pending, LifecycleEvent by, Instant now) {
        work.audit(AuditEntry.forEvent(pending, AuditEntry.Outcome.STALE,
                work.record().flatMap(PersonRecord::acsUserId), Optional.of("pending change (effective "
                        + pending.effective() + ") superseded by " + by.key()), now));
    }

    /** The table folded over the history with this event in it, and the difference recorded (DESIGN §3, §4). */
    private Handled apply(PersonUnitOfWork work, LifecycleEvent event, Instant now, boolean markHandled) {
        List<Operation> open = work.openOperations();
        boolean createOpen = open.stream().anyMatch(op -> op.kind() == Operation.Kind.CREATE);
        Optional<String> identityBefore = work.record().flatMap(PersonRecord::acsUserId);
        boolean deletionAttempted = open.stream().anyMatch(op -> op.isDeletionOf(identityBefore) && op.attempts() > 0);
        Convergence.Plan plan = Convergence.plan(new Convergence.Held(work.record(), work.identitySince(), createOpen,
                work.timeline(), deletionAttempted), event);
        if (plan.cancelCreate()) {
            // A create not yet done is no longer wanted; if it is running, the executor reconciles its result.
            open.stream().filter(op -> op.kind() == Operation.Kind.CREATE)
                    .forEach(op -> work.cancel(op, "superseded by " + event.key() + " (" + plan.record().state() + ")"));
        }
        if (plan.reversal()) {
            // The leaver is back: the identity's pending cut-off and deletion are not wanted any more. One already
            // running in ACS is reconciled by the executor when it answers.
            open.stream().filter(op -> op.isDeletionOf(identityBefore))
                    .forEach(op -> work.cancel(op, "reversed by " + event.key() + " (" + plan.record().state() + ")"));
        }
        List<Operation.Request> recorded = new ArrayList<>();
        for (Convergence.Step step : plan.steps()) {
            // A second event asking for the same work (a create still to do, a revoke still to do) adds none.
            boolean alreadyOpen = open.stream().anyMatch(op -> op.isOpen() && op.kind() == step.kind()
                    && op.acsUserId().equals(step.acsUserId()));
            if (!alreadyOpen) {
                Operation.Request request = new Operation.Request(step.kind(), step.acsUserId(), now, event.key(),
                        event.publisherType(), event.effective(), step.outcome(), event.trace());
                work.record(request);
                queue.schedule(event.subject(), step.kind(), now);
                recorded.add(request);
            }
        }
        PersonRecord updated = plan.record();
        work.save(updated);
        work.saveTimeline(plan.timeline());
        work.saveIdentitySince(plan.identitySince());
        Optional<String> auditedIdentity = identityBefore.or(() -> updated.acsUserId());
        if (plan.verdict() == Convergence.Verdict.STALE) {
            if (markHandled) {
                work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.STALE, Optional.empty());
            }
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.STALE, auditedIdentity, event.reason(), now));
            return new Handled.Stale(event, Optional.of(updated));
        }
        boolean late = plan.verdict() == Convergence.Verdict.APPLIED_LATE;
        AuditEntry.Outcome outcome = late ? AuditEntry.Outcome.APPLIED_LATE : AuditEntry.Outcome.APPLIED;
        if (markHandled) {
            work.markHandled(event.key(), event.subject(), outcome, plan.outcomeNow());
        }
        work.audit(AuditEntry.forEvent(event, outcome, auditedIdentity, event.reason(), now));
        return new Handled.Applied(event, plan.transition(), updated, recorded, plan.outcomeNow(), late);
    }
}
