package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.Handled;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.PersonState;
import org.acslifecycle.core.TraceContext;
import org.acslifecycle.core.port.Outcomes;
import org.acslifecycle.core.event.Rejection;
import org.acslifecycle.tracing.Tracing;

/**
 * Publishes outcome events (DESIGN §3) on the outcomes topic as structured CloudEvents. The Service Bus
 * MessageId (and the CloudEvent id) is derived from the input event and the outcome type, so an outcome
 * sent twice is dropped by duplicate detection. Each carries the trace context current where it is published (the
 * intake's or the executor operation's span): in the CloudEvents {@code traceparent}/{@code tracestate} extension and
 * in the Service Bus {@code traceparent}, {@code tracestate} and {@code Diagnostic-Id} properties, so a subscriber
 * continues the trace that began at the HR publisher.
 */
public final class OutcomePublisher implements Outcomes {

    static final String SOURCE = "/acs-lifecycle-worker";
    static final String CONTENT_TYPE = "application/cloudevents+json";

    private final ServiceBusSenderClient sender;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;

    public OutcomePublisher(ServiceBusSenderClient sender, Clock clock) {
        this.sender = sender;
        this.clock = clock;
    }

    /** Sends the outcome intake itself gives (no ACS work stood between), and a duplicate's again. */
    public Optional<OutcomeType> publish(Handled handled) {
        Optional<OutcomeType> type;
        Optional<PersonRecord> record;
        if (handled instanceof Handled.Applied applied) {
            type = applied.outcomeNow();
            record = Optional.of(applied.record());
        } else if (handled instanceof Handled.Duplicate duplicate) {
            type = duplicate.outcome();
            record = duplicate.current();
        } else {
            return Optional.empty();
        }
        var event = handled.event();
        // Intake's span where there is one; a pending change applied at its effective time has none on its thread,
        // and continues the trace its event was recorded in.
        Optional<TraceContext> trace = Tracing.current().or(event::trace);
        type.ifPresent(t -> publish(t, event.key(), event.publisherType(), event.subject(),
                record.flatMap(PersonRecord::acsUserId), record.map(PersonRecord::state).orElse(PersonState.DELETED),
                trace));
        return type;
    }

    @Override
    public void publish(OutcomeType type, EventKey cause, String causeType, String subject, Optional<String> acsUserId,
            PersonState state) {
        publish(type, cause, causeType, subject, acsUserId, state, Tracing.current());
    }

    private void publish(OutcomeType type, EventKey cause, String causeType, String subject, Optional<String> acsUserId,
            PersonState state, Optional<TraceContext> trace) {
        String id = derivedId(cause.source(), cause.id(), type);
        ObjectNode data = json.createObjectNode();
        acsUserId.ifPresent(acs -> data.put("acsUserId", acs));
        data.put("state", state.name());
        ObjectNode input = data.putObject("inputEvent");
        input.put("id", cause.id());
        input.put("source", cause.source());
        input.put("type", causeType);
        sender.sendMessage(message(id, type, subject, data, trace));
    }

    /** {@code lifecycle.event-rejected}: what was wrong, never the payload. */
    public void rejected(Rejection rejection, String messageId) {
        String id = derivedId(rejection.source().orElse("(unknown source)"),
                rejection.id().orElse("message:" + messageId), OutcomeType.REJECTED);
        ObjectNode data = json.createObjectNode();
        data.put("reason", rejection.reason().code());
        data.put("attribute", rejection.attribute());
        data.put("rule", rejection.rule());
        data.put("description", rejection.description());
        data.put("messageId", messageId);
        ObjectNode input = data.putObject("inputEvent");
        rejection.id().ifPresent(v -> input.put("id", v));
        rejection.source().ifPresent(v -> input.put("source", v));
        rejection.type().ifPresent(v -> input.put("type", v));
        sender.sendMessage(message(id, OutcomeType.REJECTED, rejection.subject().orElse(null), data, Tracing.current()));
    }

    private ServiceBusMessage message(String id, OutcomeType type, String subject, ObjectNode data,
            Optional<TraceContext> trace) {
        ObjectNode cloudEvent = json.createObjectNode();
        cloudEvent.put("specversion", "1.0");
        cloudEvent.put("id", id);
        cloudEvent.put("source", SOURCE);
        cloudEvent.put("type", type.cloudEventType());
        if (subject != null) {
            cloudEvent.put("subject", subject);
        }
        cloudEvent.put("time", clock.instant().toString());
        cloudEvent.put("datacontenttype", "application/json");
        trace.ifPresent(t -> {
            cloudEvent.put("traceparent", t.traceparent());
            t.tracestate().ifPresent(state -> cloudEvent.put("tracestate", state));
        });
        cloudEvent.set("data", data);
        try {
            ServiceBusMessage message = new ServiceBusMessage(json.writeValueAsBytes(cloudEvent));
            message.setMessageId(id);
            message.setContentType(CONTENT_TYPE);
            message.setSubject(type.cloudEventType());
            trace.ifPresent(t -> {
                message.getApplicationProperties().put("traceparent", t.traceparent());
                message.getApplicationProperties().put("Diagnostic-Id", t.traceparent());
                t.tracestate().ifPresent(state -> message.getApplicationProperties().put("tracestate", state));
            });
            return message;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an outcome event", e);
        }
    }

    static String derivedId(String source, String id, OutcomeType type) {
        return UUID.nameUUIDFromBytes((source + "\n" + id + "\n" + type.cloudEventType())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
