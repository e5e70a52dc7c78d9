package org.acslifecycle.drills;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.acslifecycle.core.Decision;
import org.acslifecycle.core.Effect;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.LifecycleRules;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;

/**
 * A seeded load of lifecycle events for many people, in publish order, and what the pure rules say each
 * person ends as: the oracle a crashed and restarted worker must agree with. Each person's events are published
 * in time order and the oracle folds the table over them in that order, which is what the worker converges to
 * whatever order it handles them in (DESIGN §3, convergence); the exact create count still assumes that order.
 */
public final class LifecycleLoad {

    public static final String SOURCE = "/hr/drills";

    /** One event as published. */
    public record Event(String id, EventType type, String subject, Instant time) {}

    /** What the rules make of a person's events, folded in time order. */
    public record Expected(PersonState state, boolean hasIdentity, int identitiesCreated) {}

    public final List<Event> events;
    public final Map<String, Expected> expected;

    private LifecycleLoad(List<Event> events, Map<String, Expected> expected) {
        this.events = events;
        this.expected = expected;
    }

    /**
     * Each person gets an onboarding followed by a random walk of suspend / reinstate / offboard / re-hire
     * (onboard after offboard), one event per minute of their own timeline, and the people's events are
     * interleaved at random so that the queue holds every session at once.
     */
    public static LifecycleLoad generate(long seed, int people, int minEvents, int maxEvents, Instant start) {
        Random random = new Random(seed);
        Map<String, List<Event>> byPerson = new LinkedHashMap<>();
        for (int p = 0; p < people; p++) {
            String subject = "person-" + p;
            int count = minEvents + random.nextInt(maxEvents - minEvents + 1);
            List<Event> own = new ArrayList<>();
            EventType type = EventType.ONBOARDED;
            for (int i = 0; i < count; i++) {
                own.add(new Event(subject + "-e" + i, type, subject, start.plusSeconds(60L * i)));
                type = next(type, random);
            }
            byPerson.put(subject, own);
        }
        List<Event> events = interleave(byPerson, random);
        Map<String, Expected> expected = new LinkedHashMap<>();
        byPerson.forEach((subject, own) -> expected.put(subject, apply(own)));
        return new LifecycleLoad(events, expected);
    }

    /**
     * A load of given events (in publish order, each person's in time order), e.g. a wave of joiners and then a
     * wrong feed's terminations, with the rules' fold per person.
     */
    public static LifecycleLoad of(List<Event> events) {
        Map<String, List<Event>> byPerson = new LinkedHashMap<>();
        events.forEach(e -> byPerson.computeIfAbsent(e.subject(), s -> new ArrayList<>()).add(e));
        Map<String, Expected> expected = new LinkedHashMap<>();
        byPerson.forEach((subject, own) -> expected.put(subject, apply(own)));
        return new LifecycleLoad(List.copyOf(events), expected);
    }

    /** Mostly plausible HR sequences, with some that are not (a suspend after an offboard) to keep the rules honest. */
    private static EventType next(EventType previous, Random random) {
        int roll = random.nextInt(100);
        return switch (previous) {
            case ONBOARDED, REINSTATED -> roll < 55 ? EventType.SUSPENDED : roll < 85 ? EventType.OFFBOARDED
                    : roll < 95 ? EventType.ONBOARDED : EventType.REINSTATED;
            case SUSPENDED -> roll < 55 ? EventType.REINSTATED : roll < 85 ? EventType.OFFBOARDED
                    : roll < 95 ? EventType.SUSPENDED : EventType.ONBOARDED;
            case OFFBOARDED -> roll < 70 ? EventType.ONBOARDED : roll < 85 ? EventType.REINSTATED : EventType.SUSPENDED;
        };
    }

    /** Takes the next event of a random person until all are taken: per-person order is kept. */
    private static List<Event> interleave(Map<String, List<Event>> byPerson, Random random) {
        List<List<Event>> queues = new ArrayList<>();
        byPerson.values().forEach(own -> queues.add(new ArrayList<>(own)));
        List<Event> out = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            List<Event> queue = queues.get(pick);
            out.add(queue.remove(0));
            if (queue.isEmpty()) {
                queues.set(pick, queues.get(queues.size() - 1));
                queues.remove(queues.size() - 1);
            }
        }
        return out;
    }

    /** The table folded over one person's events in time order, with the identity effects it asks for. */
    private static Expected apply(List<Event> own) {
        Optional<PersonRecord> record = Optional.empty();
        int created = 0;
        for (Event e : own.stream().sorted(java.util.Comparator.comparing(Event::time).thenComparing(Event::id)).toList()) {
            LifecycleEvent event = new LifecycleEvent(new EventKey(SOURCE, e.id()), e.type(), e.type().cloudEventType(),
                    e.subject(), e.time(), Optional.empty());
            Decision.Transition transition = LifecycleRules.decide(record, event);
            Optional<String> identity = record.flatMap(PersonRecord::acsUserId);
            Effect effect = transition.effect();
            if (effect instanceof Effect.CreateIdentity) {
                created++;
                identity = Optional.of("identity-" + created);
            } else if (effect instanceof Effect.CutOff) {
                identity = Optional.empty();
            }
            // No grace period in the drills: a cut-off's deletion follows at once, and the leaver is the tombstone.
            PersonState state = transition.to() == PersonState.OFFBOARDED && identity.isEmpty()
                    ? PersonState.DELETED : transition.to();
            record = Optional.of(new PersonRecord(e.subject(), identity, state, e.time(), event.key()));
        }
        PersonRecord last = record.orElseThrow();
        return new Expected(last.state(), last.acsUserId().isPresent(), created);
    }

    /** The table's load column: {@code "284 events, 46 people"}. */
    public String describe() {
        return events.size() + " events, " + expected.size() + " people";
    }

    public int identitiesCreated() {
        return expected.values().stream().mapToInt(Expected::identitiesCreated).sum();
    }
}
