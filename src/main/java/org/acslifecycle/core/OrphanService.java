package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * Where an orphan identity is still possible (DESIGN §4), the operators' way to delete it: re-send the create with
 * the request id and first-sent time it was sent with, so ACS answers with the identity it made for it (or, if the
 * first attempt never reached ACS, makes one now); if that identity is not the person's current one, delete it. Either
 * way the create is settled and no longer a possible orphan. Under the person's lock, audited with the operator.
 *
 * <p>Only closed creates that will not run again (CANCELLED, DROPPED, or DONE after a repeated attempt): a PENDING
 * create's next attempt repeats the same request anyway, and a FAILED one may be retried ({@code ops retry}), which
 * would then get back the identity this deleted.
 */
public final class OrphanService {

    private final Ledger ledger;
    private final IdentityDirectory directory;
    private final Clock clock;

    public OrphanService(Ledger ledger, IdentityDirectory directory, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Who asks and why. */
    public record Request(long operationId, String operator, Optional<String> reason) {
        public Request {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What came of one operation. */
    public sealed interface Result {
        /** ACS returned {@code acsUserId}, nobody's identity: it was deleted. */
        record Deleted(Operation operation, String acsUserId) implements Result {}

        /** ACS returned the person's current identity: no orphan, nothing deleted. */
        record Kept(Operation operation, String acsUserId) implements Result {}

        record Refused(long operationId, String reason) implements Result {}

        record NotFound(long operationId) implements Result {}
    }

    /**
     * The possible orphans that will not run again, oldest first: PENDING ones are left to the executor, FAILED ones
     * to {@code ops retry} or {@code ops drop}.
     */
    public List<Operation> settleable() {
        return ledger.possibleOrphans().stream()
                .filter(op -> op.status() != Operation.Status.PENDING && op.status() != Operation.Status.FAILED)
                .toList();
    }

    public Result delete(Request request) {
        Optional<Operation> found = ledger.operation(request.operationId())
                .filter(op -> op.kind() == Operation.Kind.CREATE);
        if (found.isEmpty()) {
            return new Result.NotFound(request.operationId());
        }
        // The lock is held across the ACS calls: an `ops retry` or the executor must not record the identity this
        // is about to delete as the person's while it does so. An operator's command on one person, not the hot path.
        try (PersonUnitOfWork work = ledger.open(found.get().externalId())) {
            Operation op = work.operation(request.operationId()).orElseThrow();
            Result result = settle(work, op);
            audit(work, op, request, result);
            work.commit();
            return result;
        }
    }

    private Result settle(PersonUnitOfWork work, Operation op) {
        Optional<String> refusal = refusal(op);
        if (refusal.isPresent()) {
            return new Result.Refused(op.id(), refusal.get());
        }
        CreateRequest sent = op.createRequest().orElseThrow();
        String returned;
        try {
            returned = directory.createIdentity(sent);
        } catch (DirectoryFailure failure) {
            // 412 among them: ACS no longer tracks the request id (past its window), so re-sending cannot find it.
            return new Result.Refused(op.id(), "ACS did not answer the repeated create (" + failure.getMessage()
                    + "); the operation stays a possible orphan");
        }
        Optional<String> current = work.record().flatMap(PersonRecord::acsUserId);
        if (current.equals(Optional.of(returned))) {
            work.settleOrphan(op);
            return new Result.Kept(op, returned);
        }
        try {
            directory.deleteIdentity(returned);
        } catch (DirectoryFailure failure) {
            return new Result.Refused(op.id(), "ACS returned " + returned + " but did not delete it ("
                    + failure.getMessage() + "); run the command again");
        }
        work.settleOrphan(op);
        return new Result.Deleted(op, returned);
    }

    private static Optional<String> refusal(Operation op) {
        if (!op.mayHaveOrphan()) {
            return Optional.of("operation " + op.id() + " (" + op.status() + ", " + op.attempts()
                    + " attempt(s)" + (op.orphanSettled().isPresent() ? ", settled" : "") + ") cannot have left an orphan");
        }
        if (op.status() == Operation.Status.PENDING) {
            return Optional.of("operation " + op.id() + " is still PENDING: its next attempt repeats the same request");
        }
        if (op.status() == Operation.Status.FAILED) {
            return Optional.of("operation " + op.id() + " is FAILED: `ops retry` repeats its request, or `ops drop`"
                    + " gives up on it and then this command deletes what it made");
        }
        if (op.createRequest().isEmpty()) {
            return Optional.of("operation " + op.id() + " was attempted before creates carried a request id: ACS"
                    + " cannot be asked which identity it made; look for one created about " + op.createdAt());
        }
        return Optional.empty();
    }

    private void audit(PersonUnitOfWork work, Operation op, Request request, Result result) {
        Instant now = clock.instant();
        String summary;
        Optional<String> identity;
        AuditEntry.Outcome outcome = AuditEntry.Outcome.OPERATOR;
        if (result instanceof Result.Deleted deleted) {
            summary = "orphan " + deleted.acsUserId() + " of create operation " + op.id() + " (request "
                    + op.createRequest().orElseThrow().requestId() + ") deleted";
            identity = Optional.of(deleted.acsUserId());
        } else if (result instanceof Result.Kept kept) {
            summary = "create operation " + op.id() + " made " + kept.acsUserId()
                    + ", the person's current identity: no orphan";
            identity = Optional.of(kept.acsUserId());
        } else {
            summary = ((Result.Refused) result).reason();
            identity = Optional.empty();
            outcome = AuditEntry.Outcome.REFUSED;
        }
        work.audit(new AuditEntry(Optional.empty(), Optional.of("operator:" + request.operator()),
                Optional.of("operator.orphan-delete"), Optional.of(op.externalId()), Optional.empty(), outcome, identity,
                Optional.of(request.reason().map(r -> summary + " (reason: " + r + ")").orElse(summary)),
                request.operator(), now));
    }
}
