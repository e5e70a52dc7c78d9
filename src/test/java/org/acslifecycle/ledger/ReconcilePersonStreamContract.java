package org.acslifecycle.ledger;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.FakeDirectory;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Ledger.forEachPerson}, the reconciliation's read of the whole ledger, the same on every database. */
abstract class ReconcilePersonStreamContract {

    private LedgerSettings settings;
    private JdbcLedger ledger;

    protected abstract LedgerSettings freshDatabase();

    protected abstract void dispose(LedgerSettings settings);

    @BeforeEach
    void openLedger() {
        settings = freshDatabase();
        ledger = JdbcLedger.open(settings, Clock.systemUTC());
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
        dispose(settings);
    }

    @Test
    void everyPersonComesOnceWithTheirRecordAsTheLedgerHoldsIt() {
        Controller service = new Controller(ledger, new FakeDirectory());
        service.handle(event(ONBOARDED, "ada", 0));
        service.handle(event(ONBOARDED, "ben", 0));
        service.handle(event(SUSPENDED, "ben", 1));
        service.handle(event(OFFBOARDED, "cy", 2));

        Map<String, PersonRecord> seen = new HashMap<>();
        ledger.forEachPerson(person -> assertThat(seen.put(person.externalId(), person)).isNull());

        assertThat(seen).containsOnlyKeys("ada", "ben", "cy");
        for (String name : seen.keySet()) {
            assertThat(seen.get(name)).isEqualTo(ledger.history(name).orElseThrow().record().orElseThrow());
        }
        assertThat(seen.get("ben").state()).isEqualTo(PersonState.SUSPENDED);
        assertThat(seen.get("ben").acsUserId()).isPresent();
        assertThat(seen.get("cy").state()).isEqualTo(PersonState.DELETED);
        assertThat(seen.get("cy").acsUserId()).isEmpty();
    }

    @Test
    void manyMoreThanOneFetchAreStreamedAndTheConnectionIsUsableAfterwards() throws Exception {
        int people = 3_500;
        Instant time = Instant.parse("2026-11-01T09:00:00.123456Z");
        try (Connection connection = DriverManager.getConnection(settings.effectiveUrl(), settings.user(),
                settings.password());
                PreparedStatement insert = connection.prepareStatement("INSERT INTO person (external_id, acs_user_id,"
                        + " state, last_event_time, last_event_source, last_event_id, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < people; i++) {
                insert.setString(1, "p" + i);
                insert.setString(2, i % 3 == 0 ? null : "acs-" + i);
                insert.setString(3, PersonState.values()[i % 3].name());
                insert.setObject(4, OffsetDateTime.ofInstant(time.plusSeconds(i), ZoneOffset.UTC));
                insert.setString(5, "/hr/bulk");
                insert.setString(6, "e" + i);
                insert.setObject(7, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }

        Map<String, PersonRecord> seen = new HashMap<>();
        ledger.forEachPerson(person -> seen.put(person.externalId(), person));

        assertThat(seen).hasSize(people);
        assertThat(seen.get("p3001")).isEqualTo(new PersonRecord("p3001", Optional.of("acs-3001"),
                PersonState.values()[3001 % 3], time.plusSeconds(3001), new EventKey("/hr/bulk", "e3001")));
        assertThat(seen.get("p3000").acsUserId()).isEmpty();
        // The pooled connection went back in autocommit: ordinary writes still commit.
        for (int i = 0; i < 30; i++) {
            ledger.audit(new org.acslifecycle.core.AuditEntry(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("p1"), Optional.empty(), org.acslifecycle.core.AuditEntry.Outcome.OPERATOR,
                    Optional.empty(), Optional.of("after the stream"), "tester", Instant.now()));
        }
        assertThat(ledger.history("p1").orElseThrow().audit()).hasSize(30);
    }
}
