package org.acslifecycle.execution;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.DeletionPolicy;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.AcsBudget;
import org.acslifecycle.core.port.DeletionSafety;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.OperationQueue;
import org.acslifecycle.core.port.Outcomes;
import org.acslifecycle.core.port.PersonUnitOfWork;
import org.acslifecycle.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Carries out one person's due operations of one kind, one ACS call at a time (DESIGN §4, §5).
 *
 * <p>Each run: under the person's lock, pick the oldest due operation, take a budget permit and count the
 * attempt (commit); call ACS without holding the lock; then under the lock again record the result, what the
 * person's record now says ACS holds, the follow-up work, and what happens to this execution — all in one
 * commit. The outcome event goes out before that commit, once ACS has acknowledged the effect.
 *
 * <p>Crash windows, and what each leaves behind:
 * <ol>
 *   <li>before the attempt is counted: nothing; the execution is revived and starts afresh.</li>
 *   <li>after the attempt is counted, before ACS answers (or before its answer is recorded): the operation is
 *       PENDING with one more attempt; the revived execution repeats the call. Revoke and delete are
 *       idempotent (404 = done). A create may have made an identity in ACS: <b>the one orphan window</b>;
 *       {@code ledger intents} lists such creates as possible orphans with their time.</li>
 *   <li>after the outcome event, before the commit: the call is repeated (idempotent, as above) and the same
 *       outcome event is sent again with the same id, which duplicate detection drops.</li>
 * </ol>
 */
public final class OperationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);

    /** How often a held deletion looks again by itself; lifting a hold or releasing the breaker wakes it at once. */
    static final Duration HELD_RECHECK = Duration.ofMinutes(1);

    private final Ledger ledger;
    private final IdentityDirectory acs;
    private final AcsBudget budget;
    private final Outcomes outcomes;
    private final DeletionSafety safety;
    private final DeletionPolicy policy;
    private final ExecutorSettings settings;
    private final ExecutorMetrics metrics;
    private final Clock clock;
    private final AcsCircuit circuit;
    private final BudgetSpread spread;
    private final IntervalFunction backoff;
    private final Tracing tracing;
    private volatile OperationQueue queue;

    public OperationRunner(Ledger ledger, IdentityDirectory acs, AcsBudget budget, Outcomes outcomes,
            DeletionSafety safety, DeletionPolicy policy, ExecutorSettings settings,
            Map<Operation.Kind, Double> permitsPerSecond, io.micrometer.core.instrument.MeterRegistry registry,
            Clock clock, Tracing tracing) {
        this.ledger = ledger;
        this.tracing = tracing;
        this.acs = acs;
        this.budget = budget;
        this.outcomes = outcomes;
        this.safety = safety;
        this.policy = policy;
        this.settings = settings;
        this.metrics = new ExecutorMetrics(registry, () -> safety.heldCount(), ledger::countOperations);
        this.clock = clock;
        this.circuit = new AcsCircuit(settings);
        this.spread = new BudgetSpread(permitsPerSecond);
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), 2.0, 0.5,
                settings.maxBackoff());
    }

    void attach(OperationQueue queue) {
        this.queue = queue;
    }

    /** Why ACS work is held (circuit open), or empty. */
    public Optional<String> heldBecause() {
        return circuit.openReason();
    }

    /** Why deletions are held (the breaker is open), or empty. Revocations and creations go on. */
    public Optional<String> deletionsHeldBecause() {
        return safety.breakerOpen(clock.instant());
    }

    /** The call an operation makes, decided under the lock with the budget's permit in hand. */
    private record Attempt(Operation operation, AcsBudget.Call call) {}

    void run(String externalId, Operation.Kind kind, Execution execution) {
        MDC.put("person", externalId);
        try {
            Optional<Attempt> attempt = begin(externalId, kind, execution);
            if (attempt.isPresent()) {
                // The span of one attempt joins the trace of the intake that recorded the operation, however much
                // later and on whichever replica it runs; the ACS call and the outcome event are made inside it.
                Operation op = attempt.get().operation();
                Span span = tracing.start("journal " + kind.name().toLowerCase(), SpanKind.INTERNAL, op.trace());
                span.setAttribute("acs_lifecycle.operation.id", op.id());
                span.setAttribute("acs_lifecycle.operation.attempt", op.attempts());
                span.setAttribute("acs_lifecycle.acs_call", describe(attempt.get().call()));
                try (Scope scope = Tracing.enter(span)) {
                    Instant started = clock.instant();
                    Result result = call(attempt.get());
                    if (result instanceof Result.Failed failed) {
                        span.recordException(failed.failure());
                        span.setStatus(StatusCode.ERROR);
                    }
                    finish(externalId, kind, attempt.get(), result, started, execution);
                } finally {
                    span.end();
                }
            }
        } finally {
            MDC.remove("person");
        }
    }

    /** Under the lock: the operation to attempt now, or empty when this execution was put off or finished. */
    private Optional<Attempt> begin(String externalId, Operation.Kind kind, Execution execution) {
        Instant now = clock.instant();
        try (PersonUnitOfWork work = ledger.open(externalId)) {
            List<Operation> open = ofKind(work, kind);
            Optional<Operation> due = open.stream().filter(op -> !op.notBefore().isAfter(now)).findFirst();
            if (due.isEmpty()) {
                putOff(execution, open);
                work.commit();
                return Optional.empty();
            }
            if (!circuit.permits()) {
                execution.runAgainAt(now.plus(circuit.probeEvery()));
                work.commit();
                metrics.operation(kind, "circuit-open");
                return Optional.empty();
            }
            Operation op = due.get();
            boolean mayDelete = mayDelete(work, op, now);
            if (op.kind() == Operation.Kind.DELETE && !mayDelete) {
                circuit.released();
                // Waits for a person (hold lifted, breaker released); the command wakes it, this is a safety net.
                execution.runAgainAt(now.plus(HELD_RECHECK));
                work.commit();
                metrics.operation(kind, "held");
                return Optional.empty();
            }
            Permit permit = permit(op, mayDelete);
            Optional<AcsBudget.Call> call = permit.call();
            if (call.isEmpty()) {
                circuit.released();
                // In line behind the others of its kind, from the slice where the budget has room again.
                execution.runAgainAt(spread.deferUntil(kind, now.plus(permit.retryAfter())));
                work.commit();
                metrics.operation(kind, "no-budget");
                return Optional.empty();
            }
            Operation counted = work.beginAttempt(due.get());
            work.commit();
            return Optional.of(new Attempt(counted, call.get()));
        }
    }

    /**
     * A cut-off deletes when the delete budget has room (a delete cuts access too), else revokes now and leaves
     * the delete for later: so a mass offboarding is cut off at both budgets' rate together.
     */
    private record Permit(Optional<AcsBudget.Call> call, Duration retryAfter) {}

    private Permit permit(Operation operation, boolean mayDelete) {
        List<AcsBudget.Call> choices = switch (operation.kind()) {
            case REVOKE -> List.of(AcsBudget.Call.REVOKE_TOKENS);
            case CUT_OFF -> mayDelete ? List.of(AcsBudget.Call.DELETE_IDENTITY, AcsBudget.Call.REVOKE_TOKENS)
                    : List.of(AcsBudget.Call.REVOKE_TOKENS);
            case CREATE -> List.of(AcsBudget.Call.CREATE_IDENTITY);
            case DELETE -> List.of(AcsBudget.Call.DELETE_IDENTITY);
        };
        Duration soonest = null;
        for (AcsBudget.Call call : choices) {
            AcsBudget.Permit permit = budget.tryTake(call);
            if (permit.granted()) {
                return new Permit(Optional.of(call), Duration.ZERO);
            }
            soonest = soonest == null || permit.retryAfter().compareTo(soonest) < 0 ? permit.retryAfter() : soonest;
        }
        return new Permit(Optional.empty(), soonest);
    }

    /**
     * Whether the operation may delete now. A cut-off whose deletion is not yet due revokes; a person's deletion
     * that is due asks the legal holds and the breaker (and the first time the breaker holds it, says so once).
     */
    private boolean mayDelete(PersonUnitOfWork work, Operation op, Instant now) {
        if (!op.isPersonDeletion()) {
            return true;
        }
        if (op.kind() == Operation.Kind.CUT_OFF && policy.deletionDue(op).isAfter(now)) {
            return false;
        }
        DeletionSafety.Gate gate = safety.check(op, now);
        if (gate instanceof DeletionSafety.Gate.Breaker breaker && breaker.newlyHeld()) {
            if (!breakerReported) {
                breakerReported = true;
                LOG.warn("Deletions held: {}", breaker.why());
            }
            PersonState state = work.record().map(PersonRecord::state).orElse(PersonState.DELETED);
            outcomes.publish(OutcomeType.DELETION_HELD, op.cause(), op.causeType(), op.externalId(), op.acsUserId(),
                    state);
        } else if (gate instanceof DeletionSafety.Gate.Open) {
            breakerReported = false;
        }
        return gate instanceof DeletionSafety.Gate.Open;
    }

    private volatile boolean breakerReported;

    /** What ACS said to one call. */
    private sealed interface Result {
        record Done(Optional<String> createdIdentity) implements Result {}

        record Failed(RuntimeException failure) implements Result {}
    }

    private Result call(Attempt attempt) {
        Operation op = attempt.operation();
        long start = System.nanoTime();
        try {
            Optional<String> created = switch (attempt.call()) {
                case CREATE_IDENTITY -> Optional.of(acs.createIdentity(op.createRequest().orElseThrow()));
                case REVOKE_TOKENS -> {
                    acs.revokeTokens(op.acsUserId().orElseThrow());
                    yield Optional.empty();
                }
                case DELETE_IDENTITY -> {
                    acs.deleteIdentity(op.acsUserId().orElseThrow());
                    yield Optional.empty();
                }
                case ISSUE_TOKEN -> throw new IllegalStateException("the journal issues no tokens");
            };
            circuit.succeeded(start);
            return new Result.Done(created);
        } catch (RuntimeException failure) {
            circuit.failed(start, failure);
            return new Result.Failed(failure);
        }
    }

    private void finish(String externalId, Operation.Kind kind, Attempt attempt, Result result, Instant started,
            Execution execution) {
        Instant now = clock.instant();
        try (PersonUnitOfWork work = ledger.open(externalId)) {
            // The operation as it is now: intake may have cancelled it while ACS was answering.
            Operation op = work.operation(attempt.operation().id()).orElse(attempt.operation());
            if (result instanceof Result.Done done) {
                acknowledged(work, op, attempt.call(), done, now);
            } else {
                failed(work, op, ((Result.Failed) result).failure(), now);
            }
            putOff(execution, ofKind(work, kind));
            work.commit();
        }
    }

    private void acknowledged(PersonUnitOfWork work, Operation op, AcsBudget.Call call, Result.Done done, Instant now) {
        Optional<PersonRecord> record = work.record();
        PersonState state = record.map(PersonRecord::state).orElse(PersonState.DELETED);
        Optional<String> identityNow = record.flatMap(PersonRecord::acsUserId);
        List<OutcomeType> outcome = List.of();
        Optional<String> outcomeIdentity = op.acsUserId();
        switch (call) {
            case CREATE_IDENTITY -> {
                String created = done.createdIdentity().orElseThrow();
                outcomeIdentity = Optional.of(created);
                if (identityNow.isEmpty() && (state == PersonState.ACTIVE || state == PersonState.SUSPENDED)) {
                    work.saveIdentity(Optional.of(created));
                    identityNow = Optional.of(created);
                    outcome = state == PersonState.ACTIVE ? op.outcome().stream().toList() : List.of();
                } else {
                    // Nobody wants this identity any more (the person left, or got one another way while ACS was
                    // answering): delete it rather than leave an orphan.
                    LOG.warn("Identity {} created for {} is not needed ({}): deleting it", created, op.externalId(), state);
                    work.record(new Operation.Request(Operation.Kind.DELETE, Optional.of(created), now, op.cause(),
                            op.causeType(), op.effectiveTime(), Optional.empty(), op.trace()));
                    queue.schedule(op.externalId(), Operation.Kind.DELETE, now);
                }
            }
            case REVOKE_TOKENS -> {
                metrics.revocationLag(Duration.between(op.effectiveTime(), now));
                outcome = op.kind() == Operation.Kind.CUT_OFF
                        ? op.outcome().filter(type -> type == OutcomeType.OFFBOARDED).stream().toList()
                        : List.of(OutcomeType.TOKENS_REVOKED);
            }
            case DELETE_IDENTITY -> {
                if (op.kind() == Operation.Kind.CUT_OFF) {
                    metrics.revocationLag(Duration.between(op.effectiveTime(), now));
                }
                if (identityNow.equals(op.acsUserId())) {
                    PersonRecord deleted = record.get().identityDeleted();
                    work.save(deleted);
                    identityNow = Optional.empty();
                    if (state == PersonState.ACTIVE || state == PersonState.SUSPENDED) {
                        // A reversal came while ACS was deleting: the identity is gone, so the person gets a new one.
                        work.record(new Operation.Request(Operation.Kind.CREATE, Optional.empty(), now, op.cause(),
                                op.causeType(), op.effectiveTime(), state == PersonState.ACTIVE
                                        ? Optional.of(OutcomeType.PROVISIONED) : Optional.empty(), op.trace()));
                        queue.schedule(op.externalId(), Operation.Kind.CREATE, now);
                    }
                    state = deleted.state();
                }
                // A cut-off that deleted at once did both halves: access cut, then the deletion.
                boolean cutToo = op.kind() == Operation.Kind.CUT_OFF && op.outcome().equals(Optional.of(OutcomeType.OFFBOARDED));
                outcome = op.outcome().isEmpty() ? List.of() : cutToo
                        ? List.of(OutcomeType.OFFBOARDED, OutcomeType.DELETED) : List.of(OutcomeType.DELETED);
            }
            default -> throw new IllegalStateException("unexpected call " + call);
        }
        if (op.kind() == Operation.Kind.CUT_OFF && call == AcsBudget.Call.REVOKE_TOKENS) {
            // Access is cut; the delete it still owes waits for its due time and the delete budget, behind every
            // cut-off.
            Instant due = latest(now, policy.deletionDue(op));
            work.convert(op, Operation.Kind.DELETE, due);
            queue.schedule(op.externalId(), Operation.Kind.DELETE, due);
        } else {
            work.close(op, Operation.Status.DONE, op.status() == Operation.Status.CANCELLED
                    ? "done in ACS after it was cancelled" : null);
        }
        work.audit(new AuditEntry(Optional.of(op.cause().id()), Optional.of(op.cause().source()),
                Optional.of("operation." + op.kind().name().toLowerCase()), Optional.of(op.externalId()),
                Optional.of(op.effectiveTime()), AuditEntry.Outcome.EFFECT, outcomeIdentity,
                Optional.of(describe(call) + " acknowledged by ACS (attempt " + op.attempts() + ")"), AuditEntry.WORKER, now));
        Optional<String> published = outcomeIdentity;
        Optional<String> current = identityNow;
        PersonState stateNow = state;
        outcome.forEach(type -> outcomes.publish(type, op.cause(), op.causeType(), op.externalId(),
                type == OutcomeType.PROVISIONED || type == OutcomeType.REINSTATED ? current : published, stateNow));
        metrics.operation(op.kind(), "done");
        LOG.info("{} for {} done ({} after {} attempt(s))", describe(call), op.externalId(), op.kind(), op.attempts());
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void failed(PersonUnitOfWork work, Operation op, RuntimeException failure, Instant now) {
        if (failure instanceof DirectoryFailure.Permanent permanent) {
            work.close(op, Operation.Status.FAILED, "ACS answered " + permanent.status() + " " + permanent.errorCode()
                    + " (" + permanent.getMessage() + ")");
            metrics.operation(op.kind(), "failed");
            LOG.warn("{} for {} failed for good: {}; `ops retry {}` or `ops drop {}`", op.kind(), op.externalId(),
                    permanent.getMessage(), op.id(), op.id());
            return;
        }
        Duration wait;
        if (failure instanceof DirectoryFailure.Systemic) {
            wait = circuit.probeEvery();
        } else if (failure instanceof DirectoryFailure.Transient transientFailure) {
            Duration backedOff = Duration.ofMillis(backoff.apply(Math.max(1, op.attempts())));
            wait = transientFailure.retryAfter().filter(after -> after.compareTo(backedOff) > 0).orElse(backedOff);
        } else {
            // A bug of ours: keep it visible and retry slowly, never lose the operation.
            LOG.error("Unexpected failure running {} for {}", op.kind(), op.externalId(), failure);
            wait = settings.maxBackoff();
        }
        work.retryLater(op, now.plus(wait), failure.getMessage());
        metrics.operation(op.kind(), "retry");
        boolean stuck = Duration.between(op.createdAt(), now).compareTo(settings.stuckAfter()) > 0;
        LOG.warn("{} for {} failed (attempt {}{}): {}; again in {}", op.kind(), op.externalId(), op.attempts(),
                stuck ? ", STUCK for " + Duration.between(op.createdAt(), now) : "", failure.getMessage(), wait);
    }

    /** This execution runs again when the next of the person's operations of this kind is due, or ends. */
    private static void putOff(Execution execution, List<Operation> open) {
        open.stream().map(Operation::notBefore).min(Comparator.naturalOrder())
                .ifPresentOrElse(execution::runAgainAt, execution::finished);
    }

    private static List<Operation> ofKind(PersonUnitOfWork work, Operation.Kind kind) {
        return work.openOperations().stream().filter(op -> op.kind() == kind)
                .sorted(Comparator.comparing(Operation::notBefore).thenComparingLong(Operation::id)).toList();
    }

    private static String describe(AcsBudget.Call call) {
        return switch (call) {
            case CREATE_IDENTITY -> "create identity";
            case REVOKE_TOKENS -> "revoke tokens";
            case DELETE_IDENTITY -> "delete identity";
            case ISSUE_TOKEN -> "issue token";
        };
    }
}
