package org.acslifecycle.core.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.acslifecycle.core.EventType;
import org.acslifecycle.core.event.EventFields;

/**
 * The lifecycle event that corrects one finding, as the reconciliation publishes it (DESIGN §2). Its {@code time}
 * is the roster's as-of time, so any newer real event for the person wins by the time fence; its id comes from the
 * person, the kind and the as-of time only, so applying the same roster again is a duplicate.
 */
public record CorrectiveEvent(String id, EventType type, String subject, Instant time, String reason) {

    /** The CloudEvent {@code source} of every corrective event. */
    public static final String SOURCE = "/reconcile";

    public CorrectiveEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The correction of {@code finding}, or empty for kinds that are only reported.
     *
     * @param why the operator's reason, appended to the event's {@code data.reason}
     */
    public static Optional<CorrectiveEvent> of(DriftFinding finding, Instant asOf, String why) {
        return finding.kind().correction().map(type -> {
            String reason = "reconciliation against the HR roster as of " + asOf + ": " + finding.kind().label() + " ("
                    + finding.detail() + (finding.rosterLine() > 0 ? ", roster line " + finding.rosterLine() : "")
                    + ")" + (why == null || why.isBlank() ? "" : "; " + why.strip());
            return new CorrectiveEvent(eventId(finding.externalId(), finding.kind(), asOf), type, finding.externalId(),
                    asOf, clip(reason, EventFields.MAX_REASON_LENGTH));
        });
    }

    /** {@code reconcile-} and a name-based UUID of external id, kind and as-of time. */
    public static String eventId(String externalId, DriftKind kind, Instant asOf) {
        return "reconcile-" + nameUuid(externalId + "\n" + kind.name() + "\n" + asOf);
    }

    /** The Service Bus MessageId: a name-based UUID of source and id together, so sources never collide. */
    public String messageId() {
        return nameUuid(SOURCE + "\n" + id);
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
