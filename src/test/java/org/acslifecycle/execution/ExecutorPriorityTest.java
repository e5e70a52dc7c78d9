package org.acslifecycle.execution;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.core.FakeDirectory;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.port.AcsBudget;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's order and budgets (DESIGN §4), on the real journal (H2, db-scheduler's manual scheduler). */
class ExecutorPriorityTest {

    @TempDir
    Path directory;

    private JdbcLedger ledger;
    private final FakeDirectory acs = new FakeDirectory();

    @BeforeEach
    void open() {
        ledger = JdbcLedger.open(LedgerSettings.h2File(directory.resolve("ledger")), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private String identityOf(String person) {
        return ledger.history(person).flatMap(PersonHistory::record).flatMap(PersonRecord::acsUserId).orElseThrow();
    }

    private List<String> onboardAll(Controller controller, String... people) {
        for (String person : people) {
            controller.handle(event(ONBOARDED, person, 0));
        }
        return java.util.Arrays.stream(people).map(this::identityOf).toList();
    }

    @Test
    void suspensionsRunBeforeOffboardingsCutOffsBeforeCreationsHoweverTheyWereRecorded() {
        Controller controller = new Controller(ledger, acs);
        List<String> suspended = onboardAll(controller, "s1", "s2");
        List<String> leaving = onboardAll(controller, "l1", "l2");
        int before = acs.calls().size();

        // Recorded lowest priority first: joiners, then leavers, then suspensions.
        controller.intake.record(event(ONBOARDED, "j1", 10));
        controller.intake.record(event(ONBOARDED, "j2", 10));
        controller.intake.record(event(OFFBOARDED, "l1", 10));
        controller.intake.record(event(OFFBOARDED, "l2", 10));
        controller.intake.record(event(SUSPENDED, "s1", 10));
        controller.intake.record(event(SUSPENDED, "s2", 10));
        controller.drain();

        List<String> order = acs.calls().subList(before, acs.calls().size()).stream()
                .map(call -> call.substring(0, call.indexOf(' '))).toList();
        assertThat(order).containsExactly("revoke", "revoke", "delete", "delete", "create", "create");
        assertThat(acs.calls().subList(before, before + 2))
                .containsExactlyInAnyOrder("revoke " + suspended.get(0), "revoke " + suspended.get(1));
        assertThat(acs.calls().subList(before + 2, before + 4))
                .containsExactlyInAnyOrder("delete " + leaving.get(0), "delete " + leaving.get(1));
    }

    @Test
    void aMassOffboardingIsCutOffAtTheRevokeAndDeleteBudgetsTogetherAndTheRevokedStillOweTheirDelete() {
        List<String> people = List.of("m1", "m2", "m3", "m4", "m5", "m6");
        List<String> identities = onboardAll(new Controller(ledger, acs), people.toArray(String[]::new));
        Map<AcsBudget.Call, AtomicInteger> left = new EnumMap<>(AcsBudget.Call.class);
        left.put(AcsBudget.Call.DELETE_IDENTITY, new AtomicInteger(2));
        left.put(AcsBudget.Call.REVOKE_TOKENS, new AtomicInteger(2));
        AcsBudget twoOfEach = call -> left.getOrDefault(call, new AtomicInteger(1000)).getAndDecrement() > 0
                ? AcsBudget.Permit.GRANTED : AcsBudget.Permit.exhausted(Duration.ofSeconds(1));
        Controller controller = new Controller(ledger, ledger, acs, twoOfEach, ExecutorSettings.defaults(),
                Clock.systemUTC());

        people.forEach(person -> controller.intake.record(event(OFFBOARDED, person, 10)));
        controller.drain();

        long deleted = identities.stream().filter(id -> !acs.identities().contains(id)).count();
        long revokedOnly = identities.stream().filter(id -> acs.identities().contains(id) && acs.revocationsOf(id) == 1)
                .count();
        assertThat(deleted).as("cut off by the delete budget").isEqualTo(2);
        assertThat(revokedOnly).as("cut off by the revoke budget").isEqualTo(2);
        assertThat(controller.open()).extracting(Operation::kind).as("what is still owed")
                .containsExactlyInAnyOrder(Operation.Kind.DELETE, Operation.Kind.DELETE,
                        Operation.Kind.CUT_OFF, Operation.Kind.CUT_OFF);

        // Budgets refilled: the two still to cut go first, then the two deletes the revoked still owe.
        left.get(AcsBudget.Call.DELETE_IDENTITY).set(1000);
        left.get(AcsBudget.Call.REVOKE_TOKENS).set(1000);
        controller.executor.runDue(java.time.Instant.now().plusSeconds(5));
        controller.drain();
        assertThat(acs.identities()).as("every leaver deleted in the end").doesNotContainAnyElementsOf(identities);
        assertThat(controller.open()).isEmpty();
    }
}
