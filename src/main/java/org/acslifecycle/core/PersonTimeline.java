package org.acslifecycle.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of one person's event history the fold needs (DESIGN §3, convergence), in {@code time} order.
 *
 * <p><b>Why it stays small.</b> {@code onboarded} and {@code offboarded} are <em>resets</em>: from any state an
 * onboarding gives ACTIVE with an identity, an offboarding gives "left" without one (OFFBOARDED or DELETED, which
 * the fold does not tell apart). After the latest reset only
 * suspensions and reinstatements follow, and of those only the latest of each type can matter (the latest of the
 * two decides the state; a reinstatement after a suspension-only start decides that an identity exists). Events
 * older than the latest reset cannot change the state; the one thing they can change is <em>when the person last
 * left</em>, which decides whether an identity still held predates a departure, so the latest offboarding is kept
 * too. That is at most four events whatever the person's history, and every discarded event is one no later
 * arrival can make matter again: an event inserted later either is older than a kept one of its kind (no effect)
 * or becomes the new reset or latest of its kind, and what it supersedes was superseded anyway.
 */
public record PersonTimeline(List<Entry> events) {

    /** One applied event, as the fold sees it. */
    public record Entry(EventPosition position, EventType type) {
        public Entry {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(type, "type");
        }

        public static Entry of(LifecycleEvent event) {
            return new Entry(EventPosition.of(event), event.type());
        }
    }

    /**
     * What the fold of the state table over the history asks for.
     *
     * @param state           the person's state: ACTIVE, SUSPENDED, or OFFBOARDED for anyone who has left
     * @param identity        whether the person should hold an identity (the table's creates minus its deletes)
     * @param lastOffboarding the latest offboarding: an identity requested before it belongs to a leaver
     */
    public record Desired(PersonState state, boolean identity, Optional<EventPosition> lastOffboarding) {}

    public static final PersonTimeline EMPTY = new PersonTimeline(List.of());

    private static final Comparator<Entry> IN_TIME_ORDER = Comparator.comparing(Entry::position);

    public PersonTimeline {
        List<Entry> sorted = new ArrayList<>(events);
        sorted.sort(IN_TIME_ORDER);
        events = List.copyOf(sorted);
    }

    /** The timeline with one more event, compacted: what the ledger keeps. */
    public PersonTimeline with(Entry entry) {
        List<Entry> all = new ArrayList<>(events);
        all.add(entry);
        return new PersonTimeline(compact(all));
    }

    /** The newest event: anything older that arrives now is late. Compaction always keeps it. */
    public Optional<EventPosition> newest() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).position());
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /**
     * The state table ({@link LifecycleRules}) folded over the events in time order. Empty without events.
     * The identity is symbolic: the fold asks whether one should exist, not which.
     */
    public Optional<Desired> fold() {
        return fold(events);
    }

    /** The fold over any list of entries (sorted here): also the oracle a full, uncompacted history folds with. */
    public static Optional<Desired> fold(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(IN_TIME_ORDER);
        Optional<PersonState> state = Optional.empty();
        Optional<String> identity = Optional.empty();
        Optional<EventPosition> lastOffboarding = Optional.empty();
        for (Entry entry : sorted) {
            Decision.Transition step = LifecycleRules.decide(state, identity, entry.type());
            if (step.effect() instanceof Effect.CreateIdentity || step.effect() instanceof Effect.CancelDeletion) {
                identity = Optional.of("desired");
            } else if (step.effect() instanceof Effect.CutOff) {
                identity = Optional.empty();
            }
            state = Optional.of(step.to());
            if (entry.type() == EventType.OFFBOARDED) {
                lastOffboarding = Optional.of(entry.position());
            }
        }
        Optional<String> held = identity;
        Optional<EventPosition> left = lastOffboarding;
        // Left is left: whether the identity is still there to delete (OFFBOARDED) or not (DELETED) is what ACS
        // holds, not what the events say; Convergence decides it.
        return state.map(s -> s == PersonState.DELETED ? PersonState.OFFBOARDED : s)
                .map(s -> new Desired(s, held.isPresent(), left));
    }

    /** Keeps the latest reset, the latest offboarding, and the latest suspension and reinstatement after the reset. */
    static List<Entry> compact(List<Entry> unsorted) {
        List<Entry> sorted = new ArrayList<>(unsorted);
        sorted.sort(IN_TIME_ORDER);
        int reset = -1;
        int offboarding = -1;
        for (int i = 0; i < sorted.size(); i++) {
            EventType type = sorted.get(i).type();
            if (type == EventType.ONBOARDED || type == EventType.OFFBOARDED) {
                reset = i;
            }
            if (type == EventType.OFFBOARDED) {
                offboarding = i;
            }
        }
        int suspension = -1;
        int reinstatement = -1;
        for (int i = reset + 1; i < sorted.size(); i++) {
            if (sorted.get(i).type() == EventType.SUSPENDED) {
                suspension = i;
            } else if (sorted.get(i).type() == EventType.REINSTATED) {
                reinstatement = i;
            }
        }
        List<Entry> kept = new ArrayList<>(4);
        for (int i = 0; i < sorted.size(); i++) {
            if (i == reset || i == offboarding || i == suspension || i == reinstatement) {
                kept.add(sorted.get(i));
            }
        }
        return kept;
    }
}
