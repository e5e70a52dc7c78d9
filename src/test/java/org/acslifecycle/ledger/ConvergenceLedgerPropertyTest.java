package org.acslifecycle.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.core.ConvergencePropertyTest;
import org.acslifecycle.core.FakeDirectory;
import org.acslifecycle.core.IntakeService;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.execution.Controller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The convergence property ({@link ConvergencePropertyTest}) through the real ledger (H2 in PostgreSQL mode, in
 * memory, its Flyway migrations) and the real journal executor on db-scheduler: fewer histories, each a person of
 * its own, delivered in any order with duplicates and a crash of intake's commit at a random delivery, the
 * journal run after a random subset of deliveries.
 */
class ConvergenceLedgerPropertyTest {

    static final int HISTORIES = 300;

    private JdbcLedger ledger;
    private FakeDirectory acs;
    private Controller controller;

    @BeforeEach
    void open() {
        ledger = JdbcLedger.open(new LedgerSettings("jdbc:h2:mem:convergence-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "", 4),
                Clock.systemUTC());
        acs = new FakeDirectory();
        controller = new Controller(ledger, acs);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void anyArrivalThroughTheLedgerEndsAsTimeOrderSaysAndACSHoldsExactlyTheLedgersIdentities() {
        AtomicInteger people = new AtomicInteger();
        AtomicInteger withIdentity = new AtomicInteger();
        AtomicInteger crashes = new AtomicInteger();
        long started = System.nanoTime();
        while (people.get() < HISTORIES) {
            qt().withExamples(HISTORIES - people.get()).forAll(ConvergencePropertyTest.histories(), longs().all())
                    .checkAssert((drawn, seed) -> {
                        String subject = "person-" + people.incrementAndGet();
                        List<LifecycleEvent> events = ConvergencePropertyTest.events(drawn, subject);
                        PersonRecord got = deliver(events, new Random(seed), crashes);
                        PersonRecord expected = ConvergencePropertyTest.oracle(ConvergencePropertyTest.inTimeOrder(events));
                        String story = subject + " " + events.stream().map(e -> e.type() + "@" + e.time() + "/" + e.key()).toList();

                        assertThat(got.state()).as("state: " + story).isEqualTo(expected.state());
                        assertThat(got.acsUserId().isPresent()).as("holds an identity: " + story)
                                .isEqualTo(expected.acsUserId().isPresent());
                        got.acsUserId().ifPresent(id -> {
                            assertThat(acs.identities()).as("the ledger's identity is in ACS: " + story).contains(id);
                            withIdentity.incrementAndGet();
                        });
                    });
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("convergence through the ledger: %d histories (%d crashes) in %d ms%n", people.get(),
                crashes.get(), millis);
        assertThat(acs.identities()).as("no identity in ACS that the ledger does not hold").hasSize(withIdentity.get());
        assertThat(controller.open()).as("journal drained").isEmpty();
        assertThat(crashes.get()).as("crashes happened").isGreaterThan(HISTORIES / 2);
    }

    private PersonRecord deliver(List<LifecycleEvent> events, Random random, AtomicInteger crashes) {
        List<LifecycleEvent> arrival = new java.util.ArrayList<>(ConvergencePropertyTest.arrival(events, random));
        int crashAt = random.nextInt(arrival.size() + 1);
        for (int i = 0; i < arrival.size(); i++) {
            LifecycleEvent event = arrival.get(i);
            if (i == crashAt) {
                IntakeService crashing = new IntakeService(CrashOnCommit.around(ledger), controller.executor,
                        Clock.systemUTC());
                assertThatThrownBy(() -> crashing.record(event)).isInstanceOf(CrashOnCommit.Crash.class);
                crashes.incrementAndGet();
                arrival.add(i + 1 + random.nextInt(arrival.size() - i), event);
                continue;
            }
            controller.intake.record(event);
            if (random.nextBoolean()) {
                controller.drain();
            }
        }
        controller.drain();
        return ledger.person(events.get(0).subject()).orElseThrow();
    }
}
