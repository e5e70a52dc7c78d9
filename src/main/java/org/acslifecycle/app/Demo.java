package org.acslifecycle.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.tokens.DevIssuer;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.DeletionControls;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.emulators.servicebus.InspectedMessage;
import org.acslifecycle.emulators.servicebus.ServiceBusEmulator;
import org.acslifecycle.messaging.EventPublisher;
import org.acslifecycle.messaging.MessageIds;

/**
 * {@code local --demo}: publishes a realistic day of HR events — joiners, leavers, a suspension and
 * reinstatement, a duplicate, a stale event, a late offboarding that still takes effect (DESIGN §3, convergence),
 * safe offboarding (a grace period and its reversal, a legal hold, a future-dated termination) and poison messages
 * — waits until the worker has handled each, and prints what happened to each; then the deletion breaker holding a
 * burst of deletions while their revocations are done.
 */
final class Demo {

    private static final String SOURCE = "/hr/workday";

    /**
     * The demo's safe-offboarding settings: a grace period of two hours (the demo's day is the last hour, so every
     * leaver's identity is still there to show, and a reversal can be shown), and a breaker that more than three
     * deletions falling due within a minute open.
     */
    static final Map<String, String> CONFIG = Map.of("offboarding.grace", "PT2H", "breaker.window", "PT1M",
            "breaker.max-deletions", "3", "breaker.min-deletions", "1000");
    private static final Duration GRACE = Duration.ofHours(2);

    /**
     * One published message, and how to find what became of it.
     *
     * @param holdFirst an operator puts the person on legal hold before the message is published
     */
    record Step(String what, String subject, String type, Optional<String> eventId, String messageId, byte[] body,
            boolean holdFirst) {
        Step(String what, String subject, String type, Optional<String> eventId, String messageId, byte[] body) {
            this(what, subject, type, eventId, messageId, body, false);
        }

        Step withLegalHold() {
            return new Step(what, subject, type, eventId, messageId, body, true);
        }
    }

    /** What became of a step: the ledger's audit outcome (or the dead-letter reason) and the person afterwards. */
    record Row(Step step, String outcome, String stateAfter, String acsUserId) {}

    private final EventPublisher publisher;
    private final Ledger ledger;
    private final DeletionControls deletions;
    private final ServiceBusEmulator serviceBus;
    private final String queue;

    Demo(EventPublisher publisher, Ledger ledger, DeletionControls deletions, ServiceBusEmulator serviceBus,
            String queue) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.deletions = deletions;
        this.serviceBus = serviceBus;
        this.queue = queue;
    }

    private static final DeletionControls.Actor DEMO_OPERATOR = new DeletionControls.Actor("demo", "shown by the demo");

    static List<Step> steps(Instant now) {
        Instant base = now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<Step> steps = new ArrayList<>();
        steps.add(event("joiner", "evt-1001", "user.onboarded", "alice", base, "New hire"));
        steps.add(event("joiner", "evt-1002", "user.onboarded", "bob", base.plusSeconds(60), "New hire"));
        steps.add(event("joiner (publisher type)", "evt-1003", "com.contoso.hr.Hire", "carol", base.plusSeconds(120), "New hire"));
        steps.add(event("suspension before onboarding", "evt-1004", "user.suspended", "dave", base.plusSeconds(180), "Pre-start hold"));
        steps.add(event("suspension", "evt-1005", "user.suspended", "bob", base.plusSeconds(600), "Leave of absence"));
        steps.add(event("reinstatement", "evt-1006", "user.reinstated", "bob", base.plusSeconds(1200), "Back from leave"));
        steps.add(event("leaver", "evt-1007", "user.offboarded", "alice", base.plusSeconds(1800), "Resigned"));
        steps.add(event("late joiner event (stale)", "evt-1008", "user.onboarded", "alice", base.plusSeconds(300), "Delayed HR sync"));
        Step original = steps.get(2);
        // A redelivery after Service Bus's duplicate-detection window: a new MessageId, the same CloudEvent.
        steps.add(new Step("duplicate of evt-1003", original.subject(), original.type(), original.eventId(),
                "redelivered-evt-1003", original.body()));
        steps.add(event("leaver without a record", "evt-1009", "com.contoso.hr.Termination", "erin", base.plusSeconds(2400), "Contract ended"));
        // Harry left at minute 35, but a "reinstated" of minute 50 (nothing: he is ACTIVE) arrives first. The
        // leaving is late, and still takes effect: his events are folded in time order, whatever their arrival.
        steps.add(event("joiner", "evt-1012", "user.onboarded", "harry", base.plusSeconds(240), "New hire"));
        steps.add(event("no-op: reinstated, ACTIVE", "evt-1013", "user.reinstated", "harry", base.plusSeconds(3000),
                "HR re-sent his status"));
        steps.add(event("late leaver, after the no-op", "evt-1014", "user.offboarded", "harry",
                base.plusSeconds(2100), "Resigned"));
        // Safe offboarding: access cut at once, the identity kept until the grace period ends; an onboarding within
        // it reverses the offboarding with the same identity; a legal hold keeps the deletion waiting; a termination
        // recorded ahead of its date waits for it.
        steps.add(event("joiner", "evt-1015", "user.onboarded", "ivan", base.plusSeconds(2700), "New hire"));
        steps.add(event("leaver (grace period)", "evt-1016", "user.offboarded", "ivan", base.plusSeconds(2760),
                "Terminated by mistake"));
        steps.add(event("re-joined within grace: reversal", "evt-1017", "user.onboarded", "ivan",
                base.plusSeconds(2820), "HR corrected the termination"));
        steps.add(event("joiner", "evt-1018", "user.onboarded", "judy", base.plusSeconds(2880), "New hire"));
        steps.add(event("leaver on legal hold", "evt-1019", "user.offboarded", "judy", base.plusSeconds(2940),
                "Resigned").withLegalHold());
        steps.add(event("joiner", "evt-1020", "user.onboarded", "kate", base.plusSeconds(3060), "New hire"));
        steps.add(effective("leaver, effective in 30 days", "evt-1021", "user.offboarded", "kate",
                base.plusSeconds(3120), "End of contract", now.plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
        steps.add(new Step("poison: not JSON", "-", "-", Optional.empty(), "poison-1",
                "this is not a CloudEvent".getBytes(StandardCharsets.UTF_8)));
        steps.add(event("poison: unknown type", "evt-1010", "user.promoted", "frank", base.plusSeconds(2500), "Promotion"));
        steps.add(event("poison: bad subject", "evt-1011", "user.onboarded", "gina smith", base.plusSeconds(2600), null));
        return steps;
    }

    private static Step event(String what, String id, String type, String subject, Instant time, String reason) {
        byte[] body = EventPublisher.cloudEvent(id, SOURCE, type, subject, time.toString(), reason);
        return new Step(what, subject, type, Optional.of(id), MessageIds.of(SOURCE, id), body);
    }

    private static Step effective(String what, String id, String type, String subject, Instant time, String reason,
            Instant effective) {
        byte[] body = EventPublisher.cloudEvent(id, SOURCE, type, subject, time.toString(), reason, effective.toString());
        return new Step(what, subject, type, Optional.of(id), MessageIds.of(SOURCE, id), body);
    }

    /**
     * Publishes each step once the one before it is handled, so that the rows arrive in the order they are listed
     * (without sessions, events published together may be handled in any order: the end state is the same, but a
     * row meant to show a late event would not show it), then prints the table; false if some never finished.
     */
    boolean run(PrintWriter out, Duration timeout) throws InterruptedException {
        List<Step> steps = steps(Instant.now());
        Instant deadline = Instant.now().plus(timeout);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).holdFirst()) {
                deletions.placeHold(steps.get(i).subject(), new DeletionControls.Actor("legal", "litigation 2026-17"));
            }
            publisher.publish(steps.get(i).body(), steps.get(i).messageId());
            List<Step> published = steps.subList(0, i + 1);
            while (outcomes(published).get(i).outcome().equals("(waiting)") && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            // Intake records at once; ACS work follows from the journal. Wait for what is due now (a deletion waits
            // for its grace period, a hold or the breaker), to show what ACS then holds.
            while (hasOperationsDueNow(steps.get(i).subject()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            Optional<PersonRecord> after = ledger.person(steps.get(i).subject());
            identityAfter.put(i, after.flatMap(PersonRecord::acsUserId).map(Demo::shortId).orElse("-"));
            stateAfter.put(i, after.map(r -> r.state().name()).orElse("-"));
        }
        List<Row> rows = outcomes(steps);
        while (rows.stream().anyMatch(row -> row.outcome().equals("(waiting)")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            rows = outcomes(steps);
        }
        print(out, rows);
        return rows.stream().noneMatch(row -> row.outcome().equals("(waiting)"));
    }

    /**
     * The token service (DESIGN §6) on the same worker: a token for an ACTIVE person, then, once the person's
     * suspension is recorded, a refusal on the very next request. Prints each answer; false if either differs.
     */
    boolean runTokenService(PrintWriter out, URI tokenService, DevIssuer.Minter issuer, Duration timeout)
            throws IOException, InterruptedException {
        out.println("Token service at " + tokenService + " (caller tokens from the development issuer):");
        String person = "hana";
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        publisher.publish(EventPublisher.cloudEvent("evt-1101", SOURCE, "user.onboarded", person, time.toString(), "New hire"), "evt-1101");
        // ACTIVE is intake's decision; the identity comes when the executor's create is acknowledged, a moment later.
        boolean active = awaitRecord(person, r -> r.state() == PersonState.ACTIVE && r.acsUserId().isPresent(), timeout);
        String callerToken = issuer.mint(person, List.of(), Duration.ofMinutes(10));
        HttpResponse<String> issued = askForToken(tokenService, callerToken);
        out.printf("  %-42s -> %d %s%n", person + " (ACTIVE) asks for a chat token", issued.statusCode(), summary(issued));
        publisher.publish(EventPublisher.cloudEvent("evt-1102", SOURCE, "user.suspended", person,
                time.plusSeconds(1).toString(), "Security hold"), "evt-1102");
        boolean suspended = awaitRecord(person, r -> r.state() == PersonState.SUSPENDED, timeout);
        HttpResponse<String> refused = askForToken(tokenService, callerToken);
        out.printf("  %-42s -> %d %s%n", person + " (SUSPENDED) asks again", refused.statusCode(), summary(refused));
        out.flush();
        return active && suspended && issued.statusCode() == 200 && refused.statusCode() == 403;
    }

    private boolean awaitRecord(String person, java.util.function.Predicate<PersonRecord> wanted, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ledger.person(person).filter(wanted).isPresent()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static HttpResponse<String> askForToken(URI tokenService, String callerToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(tokenService).header("Authorization", "Bearer " + callerToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\": [\"chat\"], \"expiresInMinutes\": 60}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** What the answer says, without the ACS token itself. */
    private static String summary(HttpResponse<String> response) {
        try {
            JsonNode body = new ObjectMapper().readTree(response.body());
            if (response.statusCode() == 200) {
                return "token for " + shortId(body.path("acsUserId").asText()) + ", expires " + body.path("expiresOn").asText();
            }
            String type = body.path("type").asText();
            return type.substring(type.lastIndexOf(':') + 1) + ": " + body.path("detail").asText();
        } catch (IOException e) {
            return "(unreadable answer)";
        }
    }

    /** Per step: the identity the person held, and their state, once that step's ACS work was done. */
    private final java.util.Map<Integer, String> identityAfter = new java.util.HashMap<>();
    private final java.util.Map<Integer, String> stateAfter = new java.util.HashMap<>();

    /** Open operations due now, but for a person's deletion (a legal hold or the breaker may hold it for long). */
    private boolean hasOperationsDueNow(String subject) {
        Instant now = Instant.now();
        return ledger.history(subject).map(h -> h.operations().stream()
                .anyMatch(op -> op.isOpen() && !op.notBefore().isAfter(now)
                        && !(op.kind() == Operation.Kind.DELETE && op.isPersonDeletion()))).orElse(false);
    }

    /**
     * The deletion breaker: a feed terminates four people at once. Every one's access is cut; their deletions are
     * held for an operator, who releases them. Prints what ACS holds at each point; false if it is not as designed.
     */
    boolean runBreaker(PrintWriter out, AcsView acs, Duration timeout) throws InterruptedException {
        out.println("Deletion breaker (more than 3 deletions falling due within a minute): a late feed terminates four"
                + " people at once, effective two hours ago, so their deletions fall due in seconds.");
        Instant deadline = Instant.now().plus(timeout);
        List<String> people = List.of("leo", "mia", "ned", "oli");
        Instant time = Instant.now().minus(GRACE).plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        for (String person : people) {
            publisher.publish(EventPublisher.cloudEvent("join-" + person, SOURCE, "user.onboarded", person,
                    time.minusSeconds(60).toString(), "New hire"), "join-" + person);
        }
        while (people.stream().anyMatch(p -> ledger.person(p).flatMap(PersonRecord::acsUserId).isEmpty())
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        java.util.Map<String, String> identities = new java.util.HashMap<>();
        people.forEach(p -> ledger.person(p).flatMap(PersonRecord::acsUserId).ifPresent(id -> identities.put(p, id)));
        for (String person : people) {
            publisher.publish(EventPublisher.cloudEvent("leave-" + person, SOURCE, "user.offboarded", person,
                    time.toString(), "Bulk termination"), "leave-" + person);
        }
        while (deletions.held().size() < people.size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        long revoked = identities.values().stream().filter(id -> acs.revoked(id) || acs.deleted(id)).count();
        long deleted = identities.values().stream().filter(acs::deleted).count();
        int held = deletions.held().size();
        out.printf("  after the feed:  access cut %d of %d, deleted %d, deletions held %d (identity.deletion-held each)%n",
                revoked, people.size(), deleted, held);
        List<Operation> released = deletions.release(new DeletionControls.Selection(true, java.util.Set.of()),
                DEMO_OPERATOR);
        while (identities.values().stream().anyMatch(id -> !acs.deleted(id)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        long deletedAfter = identities.values().stream().filter(acs::deleted).count();
        out.printf("  `deletions release --all`: %d released, deleted %d of %d%n", released.size(), deletedAfter,
                people.size());
        out.flush();
        return revoked == people.size() && deleted == 0 && held == people.size() && deletedAfter == people.size();
    }

    /** What the demo asks of ACS (the embedded emulator's view). */
    interface AcsView {
        boolean revoked(String acsUserId);

        boolean deleted(String acsUserId);
    }

    static AcsView acsView(org.acslifecycle.emulators.acs.AcsIdentityEmulator acs) {
        return new AcsView() {
            private Optional<org.acslifecycle.emulators.acs.IdentityView> find(String id) {
                return acs.identities().stream().filter(i -> i.id().equals(id)).findFirst();
            }

            @Override
            public boolean revoked(String id) {
                return find(id).map(i -> i.tokensRevokedAt() != null).orElse(false);
            }

            @Override
            public boolean deleted(String id) {
                return find(id).map(i -> i.deletedAt() != null).orElse(false);
            }
        };
    }

    private List<Row> outcomes(List<Step> steps) {
        List<Row> rows = new ArrayList<>();
        List<InspectedMessage> deadLetters = deadLetters();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Optional<InspectedMessage> dead = deadLetters.stream()
                    .filter(m -> step.messageId().equals(m.messageId())).findFirst();
            if (dead.isPresent()) {
                rows.add(new Row(step, "DEAD-LETTERED " + dead.get().deadLetterReason(), "-", "-"));
                continue;
            }
            Optional<PersonHistory> history = ledger.history(step.subject());
            // The n-th audit row for this event id belongs to the n-th step that published it.
            long earlierWithSameId = steps.subList(0, i).stream().filter(s -> s.eventId().equals(step.eventId())).count();
            // The event's own rows: the executor's EFFECT rows carry the event id too, as their cause.
            Optional<AuditEntry> row = history.flatMap(h -> h.audit().stream()
                    .filter(a -> a.eventId().equals(step.eventId()) && a.outcome() != AuditEntry.Outcome.EFFECT)
                    .skip(earlierWithSameId).findFirst());
            if (row.isEmpty()) {
                rows.add(new Row(step, "(waiting)", "", ""));
                continue;
            }
            rows.add(new Row(step, row.get().outcome().name(), stateAfter.getOrDefault(i, "-"),
                    identityAfter.getOrDefault(i, "-")));
        }
        return rows;
    }

    private List<InspectedMessage> deadLetters() {
        try {
            return serviceBus.deadLetters(queue);
        } catch (Exception e) {
            return List.of();
        }
    }

    private static String shortId(String acsUserId) {
        return acsUserId.length() <= 24 ? acsUserId : "…" + acsUserId.substring(acsUserId.length() - 12);
    }

    private static void print(PrintWriter out, List<Row> rows) {
        String format = "%-3s %-32s %-10s %-27s %-34s %-11s %s%n";
        out.printf(format, "#", "what", "subject", "type", "outcome", "state after", "ACS identity after");
        int n = 1;
        for (Row row : rows) {
            out.printf(format, n++, row.step().what(), row.step().subject(), row.step().type(), row.outcome(),
                    row.stateAfter(), row.acsUserId());
        }
        out.flush();
    }
}
