package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.OperationQueue;
import org.acslifecycle.core.port.PersonUnitOfWork;
import org.acslifecycle.core.port.in.EventIntake;

/**
 * Intake (DESIGN §4): under the person's lock, decide the event with {@link LifecycleRules} and record, in
 * one transaction, the new record, the handled event, the audit row and the journal operations the decision
 * implies. ACS is never called here; the executor does the operations.
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
        Decision decision = LifecycleRules.decide(work.record(), event);
        if (decision instanceof Decision.Stale stale) {
            work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.STALE, Optional.empty());
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.STALE, stale.current().acsUserId(),
                    event.reason(), now));
            return new Handled.Stale(event, stale.current());
        }
        Decision.Transition transition = (Decision.Transition) decision;
        Effect effect = transition.effect();
        Optional<String> identityBefore = work.record().flatMap(PersonRecord::acsUserId);
        List<Operation> open = work.openOperations();
        if (transition.to() != PersonState.ACTIVE) {
            // A create not yet done is no longer wanted; if it is running, the executor reconciles its result.
            open.stream().filter(op -> op.kind() == Operation.Kind.CREATE)
                    .forEach(op -> work.cancel(op, "superseded by " + event.key() + " (" + transition.to() + ")"));
        }
        List<Operation.Request> recorded = new ArrayList<>();
        effect.operation().ifPresent(kind -> {
            // A second event asking for the same work (a create still to do, a revoke still to do) adds none.
            boolean alreadyOpen = open.stream().anyMatch(op -> op.kind() == kind && op.acsUserId().equals(effect.target()));
            if (!alreadyOpen) {
                Operation.Request request = new Operation.Request(kind, effect.target(), now, event.key(),
                        event.publisherType(), event.time(), transition.outcome());
                work.record(request);
                queue.schedule(event.subject(), kind, now);
                recorded.add(request);
            }
        });
        // An identity being deleted is no longer the person's: a re-hire gets a new one at once.
        Optional<String> identity = effect instanceof Effect.DeleteIdentity ? Optional.empty() : identityBefore;
        PersonRecord updated = new PersonRecord(event.subject(), identity, transition.to(),
                event.time().truncatedTo(ChronoUnit.MICROS), event.key());
        Optional<OutcomeType> outcomeNow = effect.operation().isEmpty() ? transition.outcome() : Optional.empty();
        work.save(updated);
        work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.APPLIED, outcomeNow);
        work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.APPLIED, identityBefore.or(effect::target),
                event.reason(), now));
        return new Handled.Applied(event, transition, updated, recorded, outcomeNow);
    }
}
