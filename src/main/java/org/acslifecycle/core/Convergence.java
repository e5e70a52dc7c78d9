package org.acslifecycle.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Convergence (DESIGN §3): the person's desired state is the fold of the state table over all their events in
 * time order; the ACS operations are the difference between what ACS holds for the person and that desired
 * state. Pure: intake reads what the ledger holds, asks for a {@link Plan}, and records it in one transaction.
 *
 * <p>The diff, in the order it is applied:
 * <ol>
 *   <li>An identity whose deletion is pending (OFFBOARDED) that the desired state wants again is kept: the
 *       reversal cancels the deletion.</li>
 *   <li>An identity held that the desired state does not want is cut off (access now, deletion when due; the
 *       record keeps it, OFFBOARDED, until then); one that was requested before the person's latest offboarding
 *       (it belongs to a leaver) is cut off and replaced. A deleted identity is never resurrected: a desired
 *       ACTIVE after it means a new identity, as for a re-hire.</li>
 *   <li>A create still open that the desired state does not want is cancelled.</li>
 *   <li>A wanted identity that is neither held nor being created is created.</li>
 *   <li>A valid identity of a person who should be SUSPENDED is revoked when the person was not already
 *       SUSPENDED, and — the table's "revoke again" cell — when a new suspension arrives in order.</li>
 * </ol>
 * So each event adds at most one cut-off, one create and one revoke, and never a revoke with a cut-off.
 */
public final class Convergence {

    private Convergence() {}

    /**
     * What the ledger holds for the person before this event.
     *
     * @param record         the person's record (empty: never seen)
     * @param identitySince  the newest event of the history when the held (or pending) identity was requested
     * @param createOpen     a create is in the journal, still to do (or being done)
     * @param timeline       the compacted history ({@link PersonTimeline#EMPTY} for a person never seen)
     */
    public record Held(Optional<PersonRecord> record, Optional<EventPosition> identitySince, boolean createOpen,
            PersonTimeline timeline, boolean deletionAttempted) {
        public Held {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(identitySince, "identitySince");
            Objects.requireNonNull(timeline, "timeline");
        }

        /** Nothing of the held identity's deletion has been attempted yet. */
        public Held(Optional<PersonRecord> record, Optional<EventPosition> identitySince, boolean createOpen,
                PersonTimeline timeline) {
            this(record, identitySince, createOpen, timeline, false);
        }

        Optional<String> identity() {
            return record.flatMap(PersonRecord::acsUserId);
        }
    }

    /** How the event is audited. */
    public enum Verdict {
        /** The newest event of the person (or as new as the newest): applied as the table says. */
        APPLIED,
        /** Older than the newest event, and inserting it changed the outcome. */
        APPLIED_LATE,
        /** Older than the newest event, and inserting it changed nothing. */
        STALE
    }

    /** One ACS operation the diff asks for. */
    public record Step(Operation.Kind kind, Optional<String> acsUserId, Optional<OutcomeType> outcome) {}

    /**
     * The decision for one event.
     *
     * @param record        the person's new record
     * @param timeline      the compacted history, this event inserted
     * @param identitySince the request point of the identity held or being created after this plan
     * @param steps         the ACS operations to record, cut-off first
     * @param cancelCreate  an open create is no longer wanted
     * @param reversal      the pending deletion of the identity held is cancelled (the leaver is back)
     * @param transition    held state to desired state, with the first operation's effect (for logs, outcomes)
     * @param outcomeNow    the outcome to publish at once, when no ACS work stands between the decision and it
     */
    public record Plan(Verdict verdict, PersonRecord record, PersonTimeline timeline,
            Optional<EventPosition> identitySince, List<Step> steps, boolean cancelCreate, boolean reversal,
            Decision.Transition transition, Optional<OutcomeType> outcomeNow) {
        public Plan {
            steps = List.copyOf(steps);
        }
    }

    public static Plan plan(Held held, LifecycleEvent event) {
        EventPosition position = EventPosition.of(event);
        PersonTimeline before = historyOf(held.record(), held.timeline());
        boolean late = before.newest().map(position::isBefore).orElse(false);
        PersonTimeline after = before.with(PersonTimeline.Entry.of(event));
        PersonTimeline.Desired desired = after.fold().orElseThrow();
        EventPosition newest = after.newest().orElseThrow();

        Optional<PersonState> from = held.record().map(PersonRecord::state);
        Optional<String> identity = held.identity();
        // A record made before histories were kept has no request point: its last event stands in for it.
        Optional<EventPosition> since = held.identitySince().or(() -> held.record()
                .map(PersonRecord::lastEvent));
        boolean deletionPending = identity.isPresent() && from.equals(Optional.of(PersonState.OFFBOARDED));
        boolean predatesDeparture = since.isPresent() && desired.lastOffboarding().isPresent()
                && since.get().isBefore(desired.lastOffboarding().get());

        List<Step> steps = new ArrayList<>();
        Optional<Effect> firstEffect = Optional.empty();
        boolean reversal = false;
        if (deletionPending && desired.identity() && !held.deletionAttempted()) {
            // Reversal: the leaver is back before the deletion was done; same identity, chat history intact.
            reversal = true;
            since = Optional.of(newest);
            firstEffect = Optional.of(new Effect.CancelDeletion(identity.get()));
        } else if (deletionPending && desired.identity()) {
            // Back, but a deletion of the identity was attempted and its answer lost: it may be gone. The deletion
            // goes on (a repeat is harmless) and the person gets a new identity, as for a re-hire.
            identity = Optional.empty();
        } else if (identity.isPresent() && !deletionPending && (!desired.identity() || predatesDeparture)) {
            // A leaver is cut off and their identity kept until the deletion is due; an identity a leaver held
            // before coming back is replaced by a new one (a deleted identity is never resurrected).
            boolean left = !desired.identity();
            steps.add(new Step(Operation.Kind.CUT_OFF, identity,
                    Optional.of(left ? OutcomeType.OFFBOARDED : OutcomeType.DELETED)));
            firstEffect = Optional.of(new Effect.CutOff(identity.get()));
            if (!left) {
                identity = Optional.empty();
            }
        }
        boolean cancelCreate = held.createOpen() && !desired.identity();
        boolean kept = identity.isPresent() && desired.identity();
        Optional<EventPosition> sinceAfter = identity.isPresent() ? since : Optional.empty();
        if (desired.identity() && !kept) {
            // The identity to come serves the history as it is now; one still being created does too, as no
            // token was ever issued to it.
            sinceAfter = Optional.of(newest);
            if (!held.createOpen()) {
                Optional<OutcomeType> outcome = desired.state() != PersonState.ACTIVE ? Optional.empty()
                        : Optional.of(from.equals(Optional.of(PersonState.SUSPENDED))
                                ? OutcomeType.REINSTATED : OutcomeType.PROVISIONED);
                steps.add(new Step(Operation.Kind.CREATE, Optional.empty(), outcome));
                firstEffect = firstEffect.or(() -> Optional.of(Effect.CREATE));
            }
        }
        boolean suspendedNow = desired.state() == PersonState.SUSPENDED;
        boolean newSuspension = !late && event.type() == EventType.SUSPENDED;
        boolean wasLive = from.equals(Optional.of(PersonState.ACTIVE)) || reversal;
        if (kept && suspendedNow && (wasLive || newSuspension)) {
            steps.add(new Step(Operation.Kind.REVOKE, identity, Optional.of(OutcomeType.TOKENS_REVOKED)));
            firstEffect = Optional.of(new Effect.RevokeTokens(identity.get()));
        }

        // Left: OFFBOARDED while the identity waits for its deletion, DELETED once there is none.
        PersonState state = desired.state() == PersonState.OFFBOARDED && identity.isEmpty()
                ? PersonState.DELETED : desired.state();
        Decision.Transition transition = new Decision.Transition(from, state, firstEffect.orElse(Effect.NONE));
        boolean changed = !steps.isEmpty() || cancelCreate || reversal || !from.equals(Optional.of(state));
        Verdict verdict = !late ? Verdict.APPLIED : changed ? Verdict.APPLIED_LATE : Verdict.STALE;
        Optional<OutcomeType> outcomeNow = steps.isEmpty() && verdict != Verdict.STALE
                ? transition.outcome() : Optional.empty();
        PersonRecord record = new PersonRecord(event.subject(), identity, state, newest.time(), newest.key());
        return new Plan(verdict, record, after, sinceAfter, steps, cancelCreate, reversal, transition, outcomeNow);
    }

    /** The person's history as the fold needs it: the ledger's, or one seeded from a record older than histories. */
    static PersonTimeline historyOf(Optional<PersonRecord> record, PersonTimeline timeline) {
        return timeline.isEmpty() ? seededFrom(record) : timeline;
    }

    /**
     * An operator's direct action (an identity created or deleted by hand) enters the history as the event it
     * stands for, at the time it was done: a later HR event folds on top of it, an older one cannot undo it.
     */
    public static PersonTimeline withOperatorAction(Optional<PersonRecord> record, PersonTimeline timeline,
            EventPosition at, EventType standsFor) {
        return historyOf(record, timeline).with(new PersonTimeline.Entry(at, standsFor));
    }

    /**
     * The history of a person recorded before histories were kept: the events that give the record's state,
     * at its last event. A SUSPENDED person holding an identity was onboarded, then suspended.
     */
    static PersonTimeline seededFrom(Optional<PersonRecord> record) {
        if (record.isEmpty()) {
            return PersonTimeline.EMPTY;
        }
        PersonRecord r = record.get();
        EventPosition last = r.lastEvent();
        List<PersonTimeline.Entry> entries = new ArrayList<>();
        switch (r.state()) {
            case ACTIVE -> entries.add(new PersonTimeline.Entry(last, EventType.ONBOARDED));
            case DELETED -> entries.add(new PersonTimeline.Entry(last, EventType.OFFBOARDED));
            case SUSPENDED -> {
                if (r.acsUserId().isPresent()) {
                    entries.add(new PersonTimeline.Entry(last, EventType.ONBOARDED));
                    // Ties sort by id, and a prefix sorts first: the suspension follows the onboarding.
                    entries.add(new PersonTimeline.Entry(new EventPosition(last.time(),
                            new EventKey(last.key().source(), last.key().id() + "#suspended")), EventType.SUSPENDED));
                } else {
                    entries.add(new PersonTimeline.Entry(last, EventType.SUSPENDED));
                }
            }
        }
        return new PersonTimeline(entries);
    }
}
