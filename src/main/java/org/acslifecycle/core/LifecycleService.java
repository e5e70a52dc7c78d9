package org.acslifecycle.core;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * Applies one lifecycle event exactly once in effect (DESIGN §4): under the person's lock it records the
 * intent, acts on ACS, then records the result, the handled event and the audit row in one commit.
 *
 * <p>Crash windows, and what each leaves behind:
 * <ol>
 *   <li>before the intent is written: nothing; the redelivered event starts afresh.</li>
 *   <li>after the intent, before ACS answers: a PENDING intent. For revoke and delete the redelivered
 *       event simply repeats the call (idempotent; 404 counts as done). For create, ACS may or may not
 *       have made an identity: <b>the one orphan window</b>. The retry marks the old intent ABANDONED and
 *       creates afresh; {@code ledger intents} lists such intents so an operator can find the orphan
 *       (created at about the intent's time) and delete it.</li>
 *   <li>after ACS created an identity and the ledger noted its id on the intent, before the commit: the
 *       retry reuses that identity instead of creating a second one.</li>
 *   <li>after the commit, before the message is settled: the redelivered event is a duplicate.</li>
 * </ol>
 * Failures raised by the directory or the ledger propagate unchanged; the caller decides how to recover.
 */
public final class LifecycleService {

    private final Ledger ledger;
    private final IdentityDirectory directory;
    private final Clock clock;

    public LifecycleService(Ledger ledger, IdentityDirectory directory, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Handled handle(LifecycleEvent event) {
        try (PersonUnitOfWork work = ledger.open(event.subject())) {
            Handled handled = handleLocked(work, event);
            work.commit();
            return handled;
        }
    }

    private Handled handleLocked(PersonUnitOfWork work, LifecycleEvent event) {
        Optional<HandledEvent> before = work.handled(event.key());
        if (before.isPresent()) {
            Optional<String> identity = work.record().flatMap(PersonRecord::acsUserId);
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.DUPLICATE, identity, event.reason(), clock.instant()));
            return new Handled.Duplicate(event, before.get().outcomeType(), work.record());
        }
        Decision decision = LifecycleRules.decide(work.record(), event);
        if (decision instanceof Decision.Stale stale) {
            work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.STALE, Optional.empty());
            work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.STALE, stale.current().acsUserId(),
                    event.reason(), clock.instant()));
            return new Handled.Stale(event, stale.current());
        }
        Decision.Transition transition = (Decision.Transition) decision;
        Optional<String> identity = carryOut(work, event, transition.effect(),
                work.record().flatMap(PersonRecord::acsUserId));
        PersonRecord updated = new PersonRecord(event.subject(), identity, transition.to(),
                event.time().truncatedTo(ChronoUnit.MICROS), event.key());
        work.save(updated);
        work.markHandled(event.key(), event.subject(), AuditEntry.Outcome.APPLIED, transition.outcome());
        work.audit(AuditEntry.forEvent(event, AuditEntry.Outcome.APPLIED,
                identity.or(() -> work.record().flatMap(PersonRecord::acsUserId)), event.reason(), clock.instant()));
        return new Handled.Applied(event, transition, updated);
    }

    /** Does the effect in ACS between intent and result; returns the identity the person has afterwards. */
    private Optional<String> carryOut(PersonUnitOfWork work, LifecycleEvent event, Effect effect, Optional<String> identity) {
        if (effect instanceof Effect.None) {
            return identity;
        }
        Optional<Intent> leftOver = work.pendingIntent();
        if (effect instanceof Effect.CreateIdentity) {
            Optional<Intent> resumable = leftOver.filter(i -> i.isForCreatedIdentity(event.key()));
            if (resumable.isPresent()) {
                // ACS made this identity before a crash; the ledger noted it: use it, create no second one.
                work.complete(resumable.get());
                return resumable.get().acsUserId();
            }
        }
        return Intents.run(work, leftOver, event.key(), Intent.Action.of(effect), targetOf(effect), intent -> {
            if (effect instanceof Effect.CreateIdentity) {
                String created = directory.createIdentity();
                work.recordCreatedIdentity(intent, created);
                return Optional.of(created);
            }
            if (effect instanceof Effect.RevokeTokens revoke) {
                directory.revokeTokens(revoke.acsUserId());
                return identity;
            }
            directory.deleteIdentity(((Effect.DeleteIdentity) effect).acsUserId());
            return Optional.<String>empty();
        });
    }

    private static Optional<String> targetOf(Effect effect) {
        if (effect instanceof Effect.RevokeTokens revoke) {
            return Optional.of(revoke.acsUserId());
        }
        if (effect instanceof Effect.DeleteIdentity delete) {
            return Optional.of(delete.acsUserId());
        }
        return Optional.empty();
    }
}
