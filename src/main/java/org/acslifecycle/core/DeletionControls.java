package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.acslifecycle.core.port.DeletionSafety;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.OperationQueue;
import org.acslifecycle.core.port.Outcomes;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * The operators' say over deletions (DESIGN §3): legal holds, and the deletions the breaker holds — release them
 * (they go ahead) or cancel them (the identity stays, access stays cut). Every action is audited with the operator
 * and the reason, and wakes the executor.
 */
public final class DeletionControls {

    private final Ledger ledger;
    private final DeletionSafety safety;
    private final OperationQueue queue;
    private final Outcomes outcomes;
    private final Clock clock;

    public DeletionControls(Ledger ledger, DeletionSafety safety, OperationQueue queue, Outcomes outcomes, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.safety = Objects.requireNonNull(safety, "safety");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Who acts and why: both required, as for anything that decides over a deletion. */
    public record Actor(String operator, String reason) {
        public Actor {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Which held deletions: every one, or those of the people named. */
    public record Selection(boolean all, Set<String> people) {
        public Selection {
            people = Set.copyOf(people);
            if (all == !people.isEmpty()) {
                throw new IllegalArgumentException("either all, or the people named");
            }
        }

        boolean includes(String externalId) {
            return all || people.contains(externalId);
        }
    }

    public void placeHold(String externalId, Actor actor) {
        Instant now = clock.instant();
        safety.placeHold(new DeletionSafety.LegalHold(externalId, actor.reason(), actor.operator(), now));
        audit("operator.hold-add", externalId, Optional.empty(), "legal hold placed: deletion waits until it is lifted",
                actor, now);
    }

    /** Lifts the hold; a deletion it kept waiting is due again at once. False when there was no hold. */
    public boolean liftHold(String externalId, Actor actor) {
        Instant now = clock.instant();
        boolean lifted = safety.liftHold(externalId);
        audit("operator.hold-remove", externalId, Optional.empty(), lifted ? "legal hold lifted"
                : "no legal hold to lift", actor, now);
        if (lifted) {
            wakeDeletions(externalId, now);
        }
        return lifted;
    }

    public List<DeletionSafety.LegalHold> holds() {
        return safety.holds();
    }

    public List<Operation> held() {
        return safety.heldByBreaker();
    }

    /** The held deletions go ahead (within the delete budget). Returns those released. */
    public List<Operation> release(Selection selection, Actor actor) {
        Instant now = clock.instant();
        List<Operation> chosen = chosen(selection);
        safety.release(chosen, actor.operator(), actor.reason(), now);
        for (Operation deletion : chosen) {
            audit("operator.deletion-release", deletion.externalId(), deletion.acsUserId(),
                    "held deletion released (operation " + deletion.id() + ")", actor, now);
            outcomes.publish(OutcomeType.DELETION_RELEASED, deletion.cause(), deletion.causeType(),
                    deletion.externalId(), deletion.acsUserId(), PersonState.OFFBOARDED);
            queue.schedule(deletion.externalId(), deletion.kind(), now);
        }
        queue.wake();
        return chosen;
    }

    /**
     * The held deletions will not happen: the person stays OFFBOARDED with their identity, access cut (an
     * onboarding still reverses it). A cut-off whose revocation is still to do keeps the revocation. Returns those
     * cancelled.
     */
    public List<Operation> cancel(Selection selection, Actor actor) {
        Instant now = clock.instant();
        List<Operation> cancelled = new ArrayList<>();
        for (Operation deletion : chosen(selection)) {
            try (PersonUnitOfWork work = ledger.open(deletion.externalId())) {
                Optional<Operation> current = work.operation(deletion.id()).filter(Operation::isOpen);
                if (current.isEmpty()) {
                    continue; // done or reversed meanwhile
                }
                if (current.get().kind() == Operation.Kind.CUT_OFF) {
                    work.convert(current.get(), Operation.Kind.REVOKE, now);
                    queue.schedule(deletion.externalId(), Operation.Kind.REVOKE, now);
                } else {
                    work.cancel(current.get(), "deletion cancelled by " + actor.operator() + ": " + actor.reason());
                }
                work.audit(entry("operator.deletion-cancel", deletion.externalId(), deletion.acsUserId(),
                        "held deletion cancelled (operation " + deletion.id() + "): the identity stays, access cut",
                        actor, now));
                outcomes.publish(OutcomeType.DELETION_CANCELLED, deletion.cause(), deletion.causeType(),
                        deletion.externalId(), deletion.acsUserId(), work.record().map(PersonRecord::state)
                                .orElse(PersonState.OFFBOARDED));
                work.commit();
                cancelled.add(current.get());
            }
        }
        queue.wake();
        return cancelled;
    }

    private List<Operation> chosen(Selection selection) {
        return safety.heldByBreaker().stream().filter(op -> selection.includes(op.externalId())).toList();
    }

    private void wakeDeletions(String externalId, Instant now) {
        try (PersonUnitOfWork work = ledger.open(externalId)) {
            work.openOperations().stream().filter(Operation::isPersonDeletion).map(Operation::kind).distinct()
                    .forEach(kind -> queue.schedule(externalId, kind, now));
            work.commit();
        }
        queue.wake();
    }

    private void audit(String action, String externalId, Optional<String> acsUserId, String what, Actor actor,
            Instant now) {
        ledger.audit(entry(action, externalId, acsUserId, what, actor, now));
    }

    private static AuditEntry entry(String action, String externalId, Optional<String> acsUserId, String what,
            Actor actor, Instant now) {
        return new AuditEntry(Optional.empty(), Optional.of("operator:" + actor.operator()), Optional.of(action),
                Optional.of(externalId), Optional.empty(), AuditEntry.Outcome.OPERATOR, acsUserId,
                Optional.of(what + " (reason: " + actor.reason() + ")"), actor.operator(), now);
    }
}
