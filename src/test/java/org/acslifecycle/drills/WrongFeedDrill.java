package org.acslifecycle.drills;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.acslifecycle.core.EventType;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.emulators.acs.Operation;

/**
 * A wrong feed: terminations for half of everyone at once, with the deletion breaker on (the worker's defaults:
 * more than 100 deletions, or 5 % of the live identities, within an hour). Must show: every leaver's tokens revoked
 * within the revoke budget (the bound: the time the configured revoke rate needs for them, or the time intake took
 * to record them if longer, plus one budget window and 5 s), not one identity deleted until
 * an operator runs {@code deletions release --all}, and then every leaver deleted.
 *
 * <p>The grace period is a few seconds so that every termination is recorded before the first deletion falls due,
 * and the breaker judges the wave as a whole (with none, the first few deletions would go ahead before the count
 * crosses a threshold, which is the breaker's documented allowance, not the wrong feed this drill is about).
 */
final class WrongFeedDrill implements Drill {

    /** The ACS quota window scaled to 3 s: 500 revokes per 3 s, so that the revoke budget is the visible limit. */
    private static final double QUOTA_WINDOW = 0.1;
    /** For the executor to pick up the last cut-off and for ACS to answer, on top of the slower of budget and intake. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final Pattern HELD = Pattern.compile("(\\d+) deletion\\(s\\) held by the breaker");

    @Override
    public String name() {
        return "wrong-feed";
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        int people = context.scale().wrongFeedPeople();
        Duration grace = context.scale().pick(Duration.ofSeconds(10), Duration.ofSeconds(20));
        Random random = new Random(context.seed());
        Instant hired = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30));
        List<LifecycleLoad.Event> joiners = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            joiners.add(new LifecycleLoad.Event("person-" + p + "-hire", EventType.ONBOARDED, "person-" + p, hired));
        }
        // The queue without sessions: each person has one event per wave, so order is no matter, and a session
        // queue's idle wait per person (servicebus.session-idle-timeout) would make intake, not the budget, the limit.
        RigOptions options = context.defaultRig().withDeletionBreaker()
                .withWorkerSetting("servicebus.sessions", "false")
                .withWorkerSetting("servicebus.queue", "lifecycle-events")
                .withWorkerSetting("servicebus.concurrency", "16")
                .withAcs(context.defaultRig().acs().withQuotaWindowFactor(QUOTA_WINDOW))
                .withWorkerSetting("acs.pacing.window", RigOptions.pacingWindow(QUOTA_WINDOW))
                .withWorkerSetting("offboarding.grace", grace.toString());
        int revokesPerWindow = Operation.REVOKE_TOKENS.limitPer30Seconds();
        Duration window = Duration.parse(RigOptions.pacingWindow(QUOTA_WINDOW));
        long windows = (people / 2 + revokesPerWindow - 1) / revokesPerWindow;
        Duration budget = window.multipliedBy(windows);
        try (DrillRig rig = context.rig(options)) {
            rig.startWorker();
            joiners.forEach(rig::publish);
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(2, 10)), "every joiner's identity",
                    () -> live(rig) == people && rig.journalDone());

            List<String> shuffled = joiners.stream().map(LifecycleLoad.Event::subject).collect(Collectors.toList());
            Collections.shuffle(shuffled, random);
            // Dated now: the grace period runs from the termination's time, so an old date would make it due at once.
            Instant left = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<LifecycleLoad.Event> terminations = shuffled.subList(0, people / 2).stream()
                    .map(p -> new LifecycleLoad.Event(p + "-leave", EventType.OFFBOARDED, p, left)).toList();
            List<LifecycleLoad.Event> all = new ArrayList<>(joiners);
            all.addAll(terminations);
            LifecycleLoad load = LifecycleLoad.of(all);
            Set<String> leavers = terminations.stream().map(LifecycleLoad.Event::subject).collect(Collectors.toSet());

            // The ledger forgets a leaver's identity at the cut-off; ACS is asked about the ones they were given.
            Set<String> leaversIdentities = leavers.stream().map(p -> rig.ledger().history(p)
                    .flatMap(org.acslifecycle.core.PersonHistory::record)
                    .flatMap(org.acslifecycle.core.PersonRecord::acsUserId).orElseThrow()).collect(Collectors.toSet());
            Instant wave = Instant.now();
            terminations.forEach(rig::publish);
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(1, 5)), "every termination recorded",
                    () -> rig.handledCount() >= all.size());
            Duration intake = Duration.between(wave, Instant.now());
            // Revocation can go no faster than the budget allows nor than intake records the terminations; it must
            // keep up with the slower of the two: a cut-off waits for nothing else (DESIGN §3).
            Duration bound = (budget.compareTo(intake) > 0 ? budget : intake).plus(window).plus(SLACK);
            rig.awaitOrFail(bound.plusMinutes(1), "every leaver's tokens revoked",
                    () -> revoked(rig, leaversIdentities) == leavers.size());
            Instant lastRevoke = rig.acs().identities().stream().map(IdentityView::tokensRevokedAt)
                    .filter(Objects::nonNull).max(Instant::compareTo).orElseThrow();
            Duration revocation = Duration.between(wave, lastRevoke);

            // Past the grace period every deletion has fallen due, and the breaker holds them all.
            rig.awaitOrFail(grace.plusMinutes(1), "the breaker to hold every leaver's deletion",
                    () -> held(rig) == leavers.size());
            Thread.sleep(2_000); // a held deletion must stay held, not just be late
            long deletedBeforeRelease = rig.acs().identities().stream().filter(i -> i.deletedAt() != null).count();
            long deleteCalls = rig.acs().callCounts().count(Operation.DELETE_IDENTITY);

            DrillRig.CliRun release = rig.cli("deletions", "release", "--all", "--operator", "drills",
                    "--reason", "wrong-feed drill: the terminations are confirmed");
            rig.awaitOrFail(Duration.ofMinutes(context.scale().pick(1, 5)), "every leaver deleted after the release",
                    () -> rig.acs().identities().stream().filter(i -> i.deletedAt() != null).count() == leavers.size()
                            && rig.journalDone());

            OracleVerdict verdict = new LoadOracle(load, rig, false).verdict()
                    .expect(revocation.compareTo(bound) <= 0, "revoking " + leavers.size() + " took " + revocation
                            + ", over the bound " + bound + " (budget " + budget + ", intake " + intake + ")")
                    .expect(deletedBeforeRelease == 0, deletedBeforeRelease + " identities deleted before the release")
                    .expect(deleteCalls == 0, deleteCalls + " delete calls before the release")
                    .expect(release.exit() == 0 && release.out().contains(leavers.size() + " held deletion(s) released"),
                            "deletions release --all: " + release.exit() + " " + release.out().strip() + release.err().strip())
                    .expect(rig.acs().callCounts().count(Operation.DELETE_IDENTITY, 204) == leavers.size(),
                            "deletes answered 204: " + rig.acs().callCounts().count(Operation.DELETE_IDENTITY, 204)
                                    + ", leavers " + leavers.size());
            String faults = String.format("breaker held %d; revoked in %.1f s (budget %d s, intake %.1f s); released",
                    leavers.size(), revocation.toMillis() / 1000.0, budget.toSeconds(), intake.toMillis() / 1000.0);
            return DrillResult.of(name(), people + " people, " + leavers.size() + " terminated", faults, verdict);
        }
    }

    private static long live(DrillRig rig) {
        return rig.acs().identities().stream().filter(i -> i.deletedAt() == null).count();
    }

    /** How many of these identities have their tokens revoked in ACS. */
    private static long revoked(DrillRig rig, Set<String> identities) {
        return rig.acs().identities().stream().filter(i -> i.tokensRevokedAt() != null)
                .filter(i -> identities.contains(i.id())).count();
    }

    private static int held(DrillRig rig) {
        DrillRig.CliRun list = rig.cli("deletions", "list-held");
        Matcher found = HELD.matcher(list.out());
        return found.find() ? Integer.parseInt(found.group(1)) : 0;
    }
}
