package org.acslifecycle.drills;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.IdentityView;

/**
 * Checks every promise of the exactly-once design after a {@link LifecycleLoad} has drained, against the pure rules'
 * fold ({@link LifecycleLoad#expected}) and what ACS holds and was asked:
 * <ul>
 *   <li><b>lost</b>: published events missing from the handled-event log;</li>
 *   <li><b>duplicated</b>: a person holding a second live identity, a live identity nobody owns and no possible-orphan
 *       create explains, ACS identities beyond those the ledger recorded and the orphans, creates beyond the rules'
 *       count, and (unless a kill may have lost an answer) a delete ACS was asked twice;</li>
 *   <li><b>good dead-lettered</b>: dead letters on the queue (every event of the load is good);</li>
 *   <li>findings: a state other than the rules', an identity where the rules give none (or none where they give
 *       one), messages left, operations FAILED or DROPPED.</li>
 * </ul>
 * After a crash an identity made by a create whose answer was lost is an orphan the ledger lists as possible; it is
 * counted in {@link #orphans()}, not as a double effect.
 */
public final class LoadOracle {

    private final LifecycleLoad load;
    private final DrillRig rig;
    private final boolean redoneCallsAllowed;
    private int orphans;
    private long repeatedDeletes;

    /** {@code redoneCallsAllowed}: a delete redone because a kill (of a worker or the database) lost its answer or its
     * commit is allowed: ACS deletes idempotently, so it is a second call, not a second effect. */
    public LoadOracle(LifecycleLoad load, DrillRig rig, boolean redoneCallsAllowed) {
        this.load = load;
        this.rig = rig;
        this.redoneCallsAllowed = redoneCallsAllowed;
    }

    public OracleVerdict verdict() throws Exception {
        List<String> findings = new ArrayList<>();
        var ledger = rig.ledger();

        Set<String> handled = rig.handledEventIds();
        long lost = load.events.stream().map(LifecycleLoad.Event::id).distinct().filter(id -> !handled.contains(id))
                .count();
        int left = rig.queueSize();
        if (left != 0) {
            findings.add(left + " message(s) left on the queue");
        }
        long deadLettered = rig.serviceBus().deadLetters(rig.queue()).size();

        Map<String, IdentityView> acs = rig.acs().identities().stream()
                .collect(Collectors.toMap(IdentityView::id, i -> i));
        Map<String, String> ownerOfIdentity = new HashMap<>();
        long duplicated = 0;
        List<String> wrongStates = new ArrayList<>();
        List<String> wrongIdentities = new ArrayList<>();
        for (var entry : load.expected.entrySet()) {
            String person = entry.getKey();
            LifecycleLoad.Expected expected = entry.getValue();
            Optional<PersonRecord> found = ledger.history(person).flatMap(PersonHistory::record);
            if (found.isEmpty()) {
                wrongStates.add(person + " has no record");
                continue;
            }
            PersonHistory history = ledger.history(person).orElseThrow();
            PersonRecord record = found.get();
            if (record.state() != expected.state()) {
                wrongStates.add(person + " is " + record.state() + ", rules say " + expected.state());
            }
            // Not checked for SUSPENDED people: whether they hold an identity depends on whether their create ran
            // before the suspension was recorded; what matters for them, holding no token, is checked below.
            if (expected.state() != PersonState.SUSPENDED && record.acsUserId().isPresent() != expected.hasIdentity()) {
                wrongIdentities.add(person + (expected.hasIdentity() ? " has no identity" : " has an identity"));
            }
            if (record.acsUserId().isPresent()) {
                String id = record.acsUserId().get();
                if (ownerOfIdentity.put(id, person) != null) {
                    duplicated++;
                    findings.add(person + " shares identity " + id + " with another person");
                }
                IdentityView view = acs.get(id);
                if (view == null || view.deletedAt() != null) {
                    wrongIdentities.add(person + "'s identity is " + (view == null ? "unknown to" : "deleted in") + " ACS");
                } else if (expected.state() == PersonState.SUSPENDED && view.tokensRevokedAt() == null
                        && view.tokensIssued() > 0) {
                    wrongIdentities.add(person + " is suspended and holds a token");
                }
            }
            // Every identity the ledger ever tied to this person, other than the current one, is deleted.
            Set<String> everTheirs = new HashSet<>();
            history.audit().forEach(a -> a.acsUserId().ifPresent(everTheirs::add));
            history.intents().forEach(i -> i.acsUserId().ifPresent(everTheirs::add));
            record.acsUserId().ifPresent(everTheirs::remove);
            for (String id : everTheirs) {
                if (acs.containsKey(id) && acs.get(id).deletedAt() == null) {
                    duplicated++;
                    findings.add(person + " holds a second live identity");
                }
            }
        }
        addCounted(findings, "wrong state", wrongStates);
        addCounted(findings, "wrong identity", wrongIdentities);

        // Every other live identity is an orphan the ledger lists as possible (a create whose answer was lost).
        List<IdentityView> liveUnowned = acs.values().stream()
                .filter(i -> i.deletedAt() == null && !ownerOfIdentity.containsKey(i.id()))
                .sorted(Comparator.comparing(IdentityView::createdAt)).toList();
        List<Operation> possibleOrphans = ledger.possibleOrphans();
        List<IdentityView> unexplained = unexplainedOrphans(liveUnowned, possibleOrphans);
        orphans = liveUnowned.size();
        duplicated += unexplained.size();
        if (!unexplained.isEmpty()) {
            findings.add(unexplained.size() + " live identities nobody owns and no possible-orphan create explains");
        }
        // ACS made no identity beyond those the ledger recorded and those orphans, and no more than the rules ask.
        Set<String> recorded = new HashSet<>();
        for (String person : load.expected.keySet()) {
            ledger.history(person).ifPresent(history -> history.audit().stream()
                    .filter(row -> row.outcome() == AuditEntry.Outcome.EFFECT)
                    .filter(row -> row.eventType().equals(Optional.of("operation.create")))
                    .forEach(row -> row.acsUserId().ifPresent(recorded::add)));
        }
        long extra = acs.size() - (long) recorded.size() - orphans;
        if (extra > 0) {
            duplicated += extra;
            findings.add(extra + " ACS identities beyond the " + recorded.size() + " recorded and " + orphans + " orphans");
        }
        if (recorded.size() > load.identitiesCreated()) {
            duplicated += recorded.size() - load.identitiesCreated();
            findings.add(recorded.size() + " creates recorded, rules ask at most " + load.identitiesCreated());
        }
        var calls = rig.acs().callCounts();
        long deleted = acs.values().stream().filter(i -> i.deletedAt() != null).count();
        repeatedDeletes = calls.count(org.acslifecycle.emulators.acs.Operation.DELETE_IDENTITY, 204) - deleted;
        if (repeatedDeletes > 0 && !redoneCallsAllowed) {
            duplicated += repeatedDeletes;
            findings.add(repeatedDeletes + " deletes ACS was asked twice");
        }

        List<Operation> failed = ledger.operations(EnumSet.of(Operation.Status.FAILED, Operation.Status.DROPPED), 100);
        if (!failed.isEmpty()) {
            findings.add(failed.size() + " operation(s) FAILED or DROPPED, e.g. " + failed.get(0));
        }
        return new OracleVerdict(lost, duplicated, deadLettered, findings);
    }

    /** Live identities nobody owns, after {@link #verdict()}: orphans of creates whose answer was lost. */
    public int orphans() {
        return orphans;
    }

    /** Deletes ACS answered for an identity it had already deleted, after {@link #verdict()}. */
    public long repeatedDeletes() {
        return repeatedDeletes;
    }

    private static void addCounted(List<String> findings, String what, List<String> cases) {
        if (!cases.isEmpty()) {
            findings.add(cases.size() + " " + what + " (e.g. " + cases.get(0) + ")");
        }
    }

    /**
     * Matches each orphan to an attempt of a possible-orphan create that was recorded before ACS made it; each such
     * create explains as many orphans as it had attempts whose answer was lost. What is left is unexplained.
     */
    private static List<IdentityView> unexplainedOrphans(List<IdentityView> orphans, List<Operation> possible) {
        Map<Long, Integer> lostAnswers = new HashMap<>();
        possible.forEach(op -> lostAnswers.put(op.id(), op.attempts() - (op.status() == Operation.Status.DONE ? 1 : 0)));
        List<IdentityView> unexplained = new ArrayList<>();
        for (IdentityView orphan : orphans) {
            Optional<Operation> match = possible.stream()
                    .filter(op -> lostAnswers.get(op.id()) > 0)
                    .filter(op -> !orphan.createdAt().isBefore(op.createdAt().minusSeconds(1)))
                    .min(Comparator.comparing(Operation::createdAt));
            match.ifPresentOrElse(op -> lostAnswers.merge(op.id(), -1, Integer::sum), () -> unexplained.add(orphan));
        }
        return unexplained;
    }
}
