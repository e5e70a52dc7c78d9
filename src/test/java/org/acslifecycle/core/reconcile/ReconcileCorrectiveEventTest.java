package org.acslifecycle.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.PersonState;
import org.junit.jupiter.api.Test;

/** Corrective events: the type per kind, deterministic ids, the MessageId from source and id, the reason. */
class ReconcileCorrectiveEventTest {

    private static final Instant AS_OF = Instant.parse("2026-11-30T06:00:00Z");

    private static DriftFinding finding(DriftKind kind, String id) {
        return new DriftFinding(kind, id, Optional.of(RosterStatus.TERMINATED), 12, Optional.of(PersonState.ACTIVE),
                Optional.of(AS_OF.minusSeconds(60)), "terminated in HR, ACTIVE in the ledger");
    }

    @Test
    void eachCorrectableKindHasItsEventType() {
        assertThat(CorrectiveEvent.of(finding(DriftKind.MISSED_OFFBOARDING, "a"), AS_OF, "audit").orElseThrow().type())
                .isEqualTo(EventType.OFFBOARDED);
        assertThat(CorrectiveEvent.of(finding(DriftKind.MISSED_SUSPENSION, "a"), AS_OF, "audit").orElseThrow().type())
                .isEqualTo(EventType.SUSPENDED);
        assertThat(CorrectiveEvent.of(finding(DriftKind.MISSING_IDENTITY, "a"), AS_OF, "audit").orElseThrow().type())
                .isEqualTo(EventType.ONBOARDED);
        assertThat(CorrectiveEvent.of(finding(DriftKind.MISSED_REINSTATEMENT, "a"), AS_OF, "audit").orElseThrow().type())
                .isEqualTo(EventType.REINSTATED);
        assertThat(CorrectiveEvent.of(finding(DriftKind.UNKNOWN_TO_HR, "a"), AS_OF, "audit")).isEmpty();
        assertThat(CorrectiveEvent.of(finding(DriftKind.INCOMPLETE_OPERATION, "a"), AS_OF, "audit")).isEmpty();
    }

    @Test
    void theIdDependsOnPersonKindAndAsOfOnlyAndTheMessageIdOnSourceAndId() {
        CorrectiveEvent first = CorrectiveEvent.of(finding(DriftKind.MISSED_OFFBOARDING, "ann"), AS_OF, "one").orElseThrow();
        CorrectiveEvent again = CorrectiveEvent.of(finding(DriftKind.MISSED_OFFBOARDING, "ann"), AS_OF, "two").orElseThrow();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(first.id()).startsWith("reconcile-").hasSizeLessThanOrEqualTo(128);
        assertThat(first.messageId()).isEqualTo(UUID.nameUUIDFromBytes(("/reconcile\n" + first.id())
                .getBytes(StandardCharsets.UTF_8)).toString());

        assertThat(CorrectiveEvent.eventId("bob", DriftKind.MISSED_OFFBOARDING, AS_OF)).isNotEqualTo(first.id());
        assertThat(CorrectiveEvent.eventId("ann", DriftKind.MISSED_SUSPENSION, AS_OF)).isNotEqualTo(first.id());
        assertThat(CorrectiveEvent.eventId("ann", DriftKind.MISSED_OFFBOARDING, AS_OF.plusSeconds(1)))
                .isNotEqualTo(first.id());
    }

    @Test
    void theEventCarriesTheAsOfTimeAndAReasonSayingItCameFromReconciliation() {
        CorrectiveEvent event = CorrectiveEvent.of(finding(DriftKind.MISSED_OFFBOARDING, "ann"), AS_OF,
                "quarterly audit " + "x".repeat(600)).orElseThrow();
        assertThat(event.time()).isEqualTo(AS_OF);
        assertThat(event.subject()).isEqualTo("ann");
        assertThat(event.reason()).startsWith("reconciliation against the HR roster as of 2026-11-30T06:00:00Z: "
                + "missed-offboarding (terminated in HR, ACTIVE in the ledger, roster line 12); quarterly audit");
        assertThat(event.reason()).hasSizeLessThanOrEqualTo(512);
    }
}
