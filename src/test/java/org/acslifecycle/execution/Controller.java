package org.acslifecycle.execution;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.acslifecycle.core.DeletionPolicy;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.Handled;
import org.acslifecycle.core.IntakeService;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.AcsBudget;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.Outcomes;
import org.acslifecycle.ledger.JdbcLedger;

/**
 * Intake and the journal executor over one ledger, stepped by hand: {@link #handle} records an event and then
 * runs every operation that is due, on db-scheduler's manual scheduler, so a test reads like the old
 * synchronous service while exercising the real journal.
 */
public final class Controller {

    public final IntakeService intake;
    public final JournalExecutor executor;
    public final OperationRunner runner;
    public final List<Published> outcomes = new CopyOnWriteArrayList<>();
    private final JdbcLedger ledger;
    private final Clock clock;

    /** An outcome event as it would have been sent. */
    public record Published(OutcomeType type, EventKey cause, String subject, Optional<String> acsUserId,
            PersonState state) {}

    /** No grace period and no breaker: deletions as soon as they are asked for (the tests of other rules). */
    public static final DeletionPolicy DELETE_AT_ONCE = new DeletionPolicy(java.time.Duration.ZERO,
            java.time.Duration.ofHours(1), Integer.MAX_VALUE, 1.0, Integer.MAX_VALUE);

    public Controller(JdbcLedger ledger, IdentityDirectory acs) {
        this(ledger, acs, DELETE_AT_ONCE, Clock.systemUTC());
    }

    /** With a grace period and a breaker of the test's choosing, on the test's clock. */
    public Controller(JdbcLedger ledger, IdentityDirectory acs, DeletionPolicy policy, Clock clock) {
        this(ledger, ledger, acs, call -> AcsBudget.Permit.GRANTED, ExecutorSettings.defaults(), clock, null, policy);
    }

    /** @param intakeLedger the ledger intake writes through (a crashing wrapper, say); the executor uses {@code ledger} */
    public Controller(Ledger intakeLedger, JdbcLedger ledger, IdentityDirectory acs, AcsBudget budget,
            ExecutorSettings settings, Clock clock) {
        this(intakeLedger, ledger, acs, budget, settings, clock, null, DELETE_AT_ONCE);
    }

    /** @param before runs before each outcome is recorded as sent (where a test makes the process die) */
    public Controller(Ledger intakeLedger, JdbcLedger ledger, IdentityDirectory acs, AcsBudget budget,
            ExecutorSettings settings, Clock clock, Runnable before) {
        this(intakeLedger, ledger, acs, budget, settings, clock, before, DELETE_AT_ONCE);
    }

    private Controller(Ledger intakeLedger, JdbcLedger ledger, IdentityDirectory acs, AcsBudget budget,
            ExecutorSettings settings, Clock clock, Runnable before, DeletionPolicy policy) {
        this.ledger = ledger;
        this.clock = clock;
        Outcomes sink = (type, cause, causeType, subject, acsUserId, state) -> {
            if (before != null) {
                before.run();
            }
            outcomes.add(new Published(type, cause, subject, acsUserId, state));
        };
        Map<Operation.Kind, Double> rates = new EnumMap<>(Operation.Kind.class);
        for (Operation.Kind kind : Operation.Kind.values()) {
            rates.put(kind, 100.0);
        }
        runner = new OperationRunner(ledger, acs, budget, sink, ledger.deletionSafety(policy), policy, settings, rates,
                new SimpleMeterRegistry(), clock, org.acslifecycle.tracing.Tracing.off());
        executor = JournalExecutor.manual(ledger.transactionScope(), runner);
        intake = new IntakeService(intakeLedger, executor, clock);
        executor.onChangeDue(intake::applyDue);
    }

    /** Intake, then every operation due now. */
    public Handled handle(LifecycleEvent event) {
        Handled handled = intake.record(event);
        drain();
        return handled;
    }

    /** Runs executions until no operation is due now (operations waiting for a later time stay). */
    public void drain() {
        for (int round = 0; round < 100; round++) {
            executor.runDue(clock.instant());
            // Asked after the run: what it scheduled "now" is due by then.
            if (!executor.hasDue(clock.instant())) {
                return;
            }
        }
        throw new IllegalStateException("executions still due after 100 rounds");
    }

    public List<Operation> open() {
        return ledger.operations(Set.of(Operation.Status.PENDING), 100_000);
    }
}
