package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.emulators.acs.IdentityView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hold} and {@code deletions} on the CLI beside a running worker, on the emulators: a feed that terminates
 * most people at once has its deletions held by the breaker while every revocation is done; an operator releases
 * some, cancels the rest, and lifts a legal hold; each decision audited.
 */
class DeletionsCommandTest {

    @TempDir
    Path directory;

    private CliOnEmulators cli;

    @BeforeEach
    void start() throws Exception {
        cli = new CliOnEmulators(directory);
        // Deletions due two seconds after the offboarding: the breaker sees the whole burst before any falls due.
        cli.startWorker(Map.of("offboarding.grace", "PT2S", "breaker.max-deletions", "3",
                "breaker.min-deletions", "1000"));
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private Optional<IdentityView> inAcs(String person) {
        String id = cli.createdIdentities(person).get(0);
        return cli.emulators.acs().identities().stream().filter(i -> i.id().equals(id)).findFirst();
    }

    private boolean deleted(String person) {
        return inAcs(person).map(IdentityView::deletedAt).isPresent();
    }

    private Optional<PersonState> state(String person) {
        return cli.record(person).map(PersonRecord::state);
    }

    @Test
    void theBreakerHoldsABurstOfDeletionsUntilAnOperatorReleasesOrCancelsThemAndAHoldWaitsForItsLifting() {
        List<String> people = IntStream.range(0, 8).mapToObj(i -> "p" + i).toList();
        Instant joined = Instant.now().minusSeconds(60);
        people.forEach(p -> cli.publish("join-" + p, "user.onboarded", p, joined.toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> people.stream()
                .allMatch(p -> cli.createdIdentities(p).size() == 1) && cli.journalDone());

        assertThat(cli.run("hold", "add", "p0", "--operator", "legal")).as("a hold needs a reason").isEqualTo(2);
        assertThat(cli.err).contains("--reason is required");
        assertThat(cli.run("hold", "add", "p0", "--operator", "legal", "--reason", "litigation 2026-17")).as(cli.err)
                .isZero();
        assertThat(cli.run("hold", "list")).isZero();
        assertThat(cli.out).contains("p0").contains("litigation 2026-17");

        List<String> leavers = people.subList(0, 6);
        Instant left = Instant.now();
        leavers.forEach(p -> cli.publish("leave-" + p, "user.offboarded", p, left.toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> leavers.stream().allMatch(p -> inAcs(p)
                .map(IdentityView::tokensRevokedAt).isPresent()));
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.run("deletions", "list-held") == 0
                && cli.out.startsWith("5 deletion(s) held"));

        assertThat(leavers).as("access cut for everyone, nobody deleted").noneMatch(this::deleted);
        assertThat(leavers).allSatisfy(p -> assertThat(state(p)).contains(PersonState.OFFBOARDED));
        assertThat(cli.out).doesNotContain(" for p0 ").as("p0 waits for its legal hold, not for the breaker");

        assertThat(cli.run("deletions", "release", "p1", "p2", "--operator", "alex", "--reason", "confirmed leavers"))
                .as(cli.err).isZero();
        assertThat(cli.out).contains("2 held deletion(s) released");
        await().atMost(Duration.ofSeconds(30)).until(() -> deleted("p1") && deleted("p2"));

        assertThat(cli.run("deletions", "cancel", "--all", "--operator", "alex", "--reason", "the feed was wrong"))
                .as(cli.err).isZero();
        assertThat(cli.out).contains("3 held deletion(s) cancelled");
        assertThat(cli.run("deletions", "list-held")).isZero();
        assertThat(cli.out).contains("No deletions held.");

        assertThat(cli.run("hold", "remove", "p0", "--operator", "legal", "--reason", "case closed")).as(cli.err).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> deleted("p0"));

        assertThat(List.of("p3", "p4", "p5")).as("cancelled: identity kept, access cut").noneMatch(this::deleted)
                .allSatisfy(p -> assertThat(state(p)).contains(PersonState.OFFBOARDED));
        assertThat(state("p1")).contains(PersonState.DELETED);
        assertThat(cli.audit("p1")).filteredOn(a -> a.eventType().equals(Optional.of("operator.deletion-release")))
                .singleElement().satisfies(a -> {
                    assertThat(a.actor()).isEqualTo("alex");
                    assertThat(a.reason().orElseThrow()).contains("confirmed leavers");
                });
        assertThat(cli.audit("p3")).extracting(AuditEntry::eventType)
                .contains(Optional.of("operator.deletion-cancel"));
        assertThat(cli.run("deletions", "release")).as("neither --all nor a person: usage").isEqualTo(2);
    }
}
