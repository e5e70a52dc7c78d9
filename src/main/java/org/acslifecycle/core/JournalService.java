package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.OperationQueue;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * The operators' hold on the journal (DESIGN §5): retry an operation that failed for good (or was dropped),
 * or drop one nobody wants done. Under the person's lock, audited with the operator's name.
 */
public final class JournalService {

    private final Ledger ledger;
    private final OperationQueue queue;
    private final Clock clock;

    public JournalService(Ledger ledger, OperationQueue queue, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Who asks and why. */
    public record Request(long operationId, String operator, Optional<String> reason) {
        public Request {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What came of it. */
    public sealed interface Result {
        record Done(Operation operation, String summary) implements Result {}

        record Refused(String reason) implements Result {}

        record NotFound(long operationId) implements Result {}
    }

    /** FAILED or DROPPED back to PENDING, due now. */
    public Result retry(Request request) {
        return onOperation(request, "operator.operation-retry", (work, op, now) -> {
            if (op.status() != Operation.Status.FAILED && op.status() != Operation.Status.DROPPED) {
                return new Result.Refused("operation " + op.id() + " is " + op.status()
                        + ": only FAILED or DROPPED operations are retried");
            }
            if (op.kind() == Operation.Kind.CREATE && op.createRequest().isPresent()) {
                return retryAsFreshCreate(work, op, request, now);
            }
            work.reopen(op, now);
            queue.schedule(op.externalId(), op.kind(), now);
            return new Result.Done(op, "operation " + op.id() + " (" + op.kind() + " for " + op.externalId()
                    + ") is due again");
        });
    }

    /**
     * A create that was sent is retried as a new create with a new request, not repeated: ACS may answer a repeat
     * with the refusal it gave (or 412 once the request id is past its window), and a repeat after `orphans delete`
     * would get back the identity that deleted. The old one is DROPPED and, if an attempt may have made an identity,
     * stays a possible orphan for `orphans delete`.
     */
    private Result retryAsFreshCreate(PersonUnitOfWork work, Operation op, Request request, Instant now) {
        Optional<Operation> pending = work.openOperations().stream()
                .filter(open -> open.kind() == Operation.Kind.CREATE).findFirst();
        if (pending.isPresent()) {
            return new Result.Refused("operation " + pending.get().id() + " already creates an identity for "
                    + op.externalId());
        }
        Optional<String> held = work.record().flatMap(PersonRecord::acsUserId);
        if (held.isPresent()) {
            return new Result.Refused(op.externalId() + " already has identity " + held.get());
        }
        Operation fresh = work.record(new Operation.Request(Operation.Kind.CREATE, op.acsUserId(), now, op.cause(),
                op.causeType(), op.effectiveTime(), op.outcome(), op.trace()));
        if (op.status() == Operation.Status.FAILED) {
            work.close(op, Operation.Status.DROPPED, "retried as operation " + fresh.id() + " by "
                    + request.operator() + op.lastError().map(error -> "; was: " + error).orElse(""));
        }
        queue.schedule(op.externalId(), Operation.Kind.CREATE, now);
        return new Result.Done(fresh, "operation " + op.id() + " (CREATE for " + op.externalId()
                + ") is retried as a new create, operation " + fresh.id());
    }

    /** PENDING or FAILED to DROPPED: the executor will not do it. */
    public Result drop(Request request) {
        return onOperation(request, "operator.operation-drop", (work, op, now) -> {
            if (op.status() != Operation.Status.PENDING && op.status() != Operation.Status.FAILED) {
                return new Result.Refused("operation " + op.id() + " is " + op.status() + ": nothing to drop");
            }
            work.close(op, Operation.Status.DROPPED, "dropped by " + request.operator()
                    + request.reason().map(r -> ": " + r).orElse(""));
            return new Result.Done(op, "operation " + op.id() + " (" + op.kind() + " for " + op.externalId()
                    + ") dropped");
        });
    }

    private interface Action {
        Result apply(PersonUnitOfWork work, Operation operation, Instant now);
    }

    private Result onOperation(Request request, String action, Action body) {
        Optional<Operation> found = ledger.operation(request.operationId());
        if (found.isEmpty()) {
            return new Result.NotFound(request.operationId());
        }
        Result result;
        try (PersonUnitOfWork work = ledger.open(found.get().externalId())) {
            Operation current = work.operation(request.operationId()).orElseThrow();
            Instant now = clock.instant();
            result = body.apply(work, current, now);
            String what = result instanceof Result.Done done ? done.summary() : ((Result.Refused) result).reason();
            work.audit(new AuditEntry(Optional.empty(), Optional.of("operator:" + request.operator()), Optional.of(action),
                    Optional.of(current.externalId()), Optional.empty(),
                    result instanceof Result.Done ? AuditEntry.Outcome.OPERATOR : AuditEntry.Outcome.REFUSED,
                    current.acsUserId(), Optional.of(request.reason().map(r -> what + " (reason: " + r + ")").orElse(what)),
                    request.operator(), now));
            work.commit();
        }
        if (result instanceof Result.Done) {
            queue.wake();
        }
        return result;
    }
}
