package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

    private Handled decide(PersonUnitOfWork work, LifecycleEvent event) {
        Instant now = clock.instant();
        Optional<HandledEvent> before = work.handled(event.key());
        if (before.isPresent()) {
            Optional<String> identity = work.record().flatMap(PersonRecord::acsUserId);
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.DUPLICATE, identity, event.reason(), now));
            return new Handled.Duplicate(event, before.get().outcomeType(), work.record());
        }
        List<Operation> open = work.openOperations();
        boolean createOpen = open.stream().anyMatch(op -> op.kind() == Operation.Kind.CREATE);
        Convergence.Plan plan = Convergence.plan(
                new Convergence.Held(work.record(), work.identitySince(), createOpen, work.timeline()), event);
        Optional<String> identityBefore = work.record().flatMap(PersonRecord::acsUserId);
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
                        event.publisherType(), event.time(), step.outcome());
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
            work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.STALE, Optional.empty());
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.STALE, auditedIdentity, event.reason(), now));
            return new Handled.Stale(event, updated);
        }
        boolean late = plan.verdict() == Convergence.Verdict.APPLIED_LATE;
        AuditEntry.Outcome outcome = late ? AuditEntry.Outcome.APPLIED_LATE : AuditEntry.Outcome.APPLIED;
        work.markHandled(event.key(), event.subject(), outcome, plan.outcomeNow());
        work.audit(AuditEntry.forEvent(event, outcome, auditedIdentity, event.reason(), now));
        return new Handled.Applied(event, plan.transition(), updated, recorded, plan.outcomeNow(), late);
    }
}
