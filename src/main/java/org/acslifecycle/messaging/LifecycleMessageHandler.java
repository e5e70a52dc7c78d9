package org.acslifecycle.messaging;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Handled;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.LifecycleEvent;
import org.acslifecycle.core.Recovery;
import org.acslifecycle.core.RecoveryPolicy;
import org.acslifecycle.core.event.EventContract;
import org.acslifecycle.core.event.InboundMessage;
import org.acslifecycle.core.event.TraceHeaders;
import org.acslifecycle.core.event.ParsedEvent;
import org.acslifecycle.core.event.Rejection;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.LedgerFailure;
import org.acslifecycle.core.port.in.EventIntake;
import org.acslifecycle.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Handles one Service Bus message: read the event, record it through intake (decision, handled event and
 * journal operations in one ledger transaction; no ACS call), then settle. A message is settled only after
 * the decision is recorded. Failures go through the
 * {@link RecoveryPolicy}: delayed retries are scheduled copies carrying an attempt counter (the original
 * is completed, so the delivery count is not burnt); the ledger makes a copy that races its original
 * harmless.
 */
public final class LifecycleMessageHandler implements Consumer<ServiceBusReceivedMessageContext> {

    /** Application property on scheduled copies: how many delayed attempts came before this one. */
    public static final String ATTEMPT_PROPERTY = DeadLetter.DETAIL_PREFIX + "attempt";
    /** The one prefix of the worker's application properties on dead letters and copies. */
    static final String DETAIL_PREFIX = DeadLetter.DETAIL_PREFIX;
    private static final int DESCRIPTION_MAX = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleMessageHandler.class);

    private final EventContract contract;
    private final EventIntake service;
    private final Ledger ledger;
    private final OutcomePublisher outcomes;
    private final ServiceBusSenderClient retrySender;
    private final RecoveryPolicy policy;
    private final IntakePause intake;
    private volatile Runnable onDelivery = () -> {};
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final String workerVersion;
    private final Tracing tracing;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Events in a row, across messages, whose handling failed for a transient reason: an outage detector. */
    private final java.util.concurrent.atomic.AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();
    /** Immediate retries for a ledger hiccup; ACS calls retry inside the identity adapter. */
    private final Retry ledgerRetry = Retry.of("ledger", RetryConfig.custom()
            .maxAttempts(3)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0))
            .retryExceptions(LedgerFailure.class)
            .build());

    public LifecycleMessageHandler(EventContract contract, EventIntake service, Ledger ledger,
            OutcomePublisher outcomes, ServiceBusSenderClient retrySender, RecoveryPolicy policy, IntakePause intake,
            WorkerMetrics metrics, Clock clock, String workerVersion, Tracing tracing) {
        this.contract = contract;
        this.service = service;
        this.ledger = ledger;
        this.outcomes = outcomes;
        this.retrySender = retrySender;
        this.policy = policy;
        this.intake = intake;
        this.metrics = metrics;
        this.clock = clock;
        this.workerVersion = workerVersion;
        this.tracing = tracing;
    }

    /** Stops the taking of messages while a systemic failure lasts; {@link Intake} does it. */
    public interface IntakePause {
        void pause(String why, Duration probeEvery);
    }

    /** Called for every message given to the handler; the {@link Watchdog} listens. */
    public void onDelivery(Runnable listener) {
        this.onDelivery = listener;
    }

    /** Messages being handled right now: a graceful stop waits for them to be settled. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void accept(ServiceBusReceivedMessageContext context) {
        ServiceBusReceivedMessage message = context.getMessage();
        MDC.put("messageId", String.valueOf(message.getMessageId()));
        inFlight.incrementAndGet();
        onDelivery.run();
        Span span = null;
        try {
            InboundMessage inbound = InboundMessages.of(message);
            ParsedEvent parsed = contract.parse(inbound);
            // The publisher's trace: the event's own (CloudEvents extension) where it could be read, else the
            // transport's; the intake span continues it, and every operation recorded under it continues that.
            span = tracing.start("lifecycle intake", SpanKind.CONSUMER, parsed instanceof ParsedEvent.Accepted accepted
                    ? accepted.event().trace() : TraceHeaders.ofTransport(inbound.applicationProperties()));
            span.setAttribute("messaging.system", "servicebus");
            span.setAttribute("messaging.message.id", String.valueOf(message.getMessageId()));
            try (Scope scope = Tracing.enter(span)) {
                if (parsed instanceof ParsedEvent.Rejected rejected) {
                    span.setStatus(StatusCode.ERROR, "rejected: " + rejected.rejection().reason().code());
                    reject(context, rejected.rejection());
                } else {
                    LifecycleEvent event = ((ParsedEvent.Accepted) parsed).event();
                    span.setAttribute("cloudevents.event_id", event.key().id());
                    span.setAttribute("cloudevents.event_source", event.key().source());
                    span.setAttribute("cloudevents.event_type", event.type().cloudEventType());
                    apply(context, event.withTrace(Tracing.current()));
                }
            }
        } catch (RuntimeException failure) {
            if (span != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            throw failure;
        } finally {
            if (span != null) {
                span.end();
            }
            inFlight.decrementAndGet();
            MDC.clear();
        }
    }

    private void reject(ServiceBusReceivedMessageContext context, Rejection rejection) {
        rejection.id().ifPresent(id -> MDC.put("event.id", id));
        rejection.type().ifPresent(type -> MDC.put("event.type", type));
        rejection.subject().ifPresent(subject -> MDC.put("event.subject", subject));
        String message = context.getMessage().getMessageId();
        ledger.audit(new AuditEntry(rejection.id(), rejection.source(), rejection.type(), rejection.subject(),
                java.util.Optional.empty(), AuditEntry.Outcome.REJECTED, java.util.Optional.empty(),
                java.util.Optional.of(rejection.reason().code() + ": " + rejection.description()), AuditEntry.WORKER,
                clock.instant()));
        outcomes.rejected(rejection, message);
        Map<String, Object> details = new HashMap<>();
        details.put(DETAIL_PREFIX + "attribute", rejection.attribute());
        details.put(DETAIL_PREFIX + "rule", rejection.rule());
        deadLetter(context, rejection.reason().code(), rejection.description(), details);
        LOG.warn("Rejected message {}: {} ({} {})", message, rejection.reason().code(), rejection.attribute(),
                rejection.rule());
    }

    private void apply(ServiceBusReceivedMessageContext context, LifecycleEvent event) {
        MDC.put("event.id", event.key().id());
        MDC.put("event.type", event.type().cloudEventType());
        MDC.put("event.subject", event.subject());
        int attempt = delayedAttempts(context.getMessage());
        Handled handled;
        try {
            handled = Retry.decorateSupplier(ledgerRetry, () -> service.record(event)).get();
            outcomes.publish(handled);
        } catch (LedgerFailure unavailable) {
            recover(context, event, unavailable, attempt, failuresInARow.incrementAndGet());
            return;
        } catch (RuntimeException failure) {
            recover(context, event, failure, attempt, failuresInARow.get());
            return;
        }
        failuresInARow.set(0);
        context.complete();
        record(handled);
    }

    private void record(Handled handled) {
        LifecycleEvent event = handled.event();
        String outcome = handled.getClass().getSimpleName().toLowerCase();
        Span.current().setAttribute("acs_lifecycle.handled", outcome);
        metrics.event(event.type().cloudEventType(), outcome);
        if (handled instanceof Handled.Applied applied) {
            LOG.info("Applied{} {} to {}: {} -> {} (journal: {})", applied.late() ? " late" : "",
                    event.type().cloudEventType(), event.subject(),
                    applied.transition().from().map(Enum::name).orElse("no record"), applied.transition().to(),
                    applied.operations().isEmpty() ? "nothing for ACS"
                            : applied.operations().stream().map(op -> op.kind().name()).toList());
        } else if (handled instanceof Handled.Scheduled scheduled) {
            LOG.info("Scheduled {} for {}: takes effect at {} (the person's pending change)",
                    event.type().cloudEventType(), event.subject(), scheduled.effectiveAt());
        } else {
            LOG.info("{} event {} for {}: acknowledged, no effect", outcome, event.key(), event.subject());
        }
    }

    private void recover(ServiceBusReceivedMessageContext context, LifecycleEvent event, RuntimeException failure,
            int attempt, int inARow) {
        Recovery recovery = policy.decide(failure, attempt, inARow);
        if (recovery instanceof Recovery.RetryLater later) {
            LOG.warn("Attempt {} at {} failed ({}); retrying in {}", attempt + 1, event.key(), failure.getMessage(),
                    later.delay());
            scheduleCopy(context.getMessage(), event.key(), later.attempt(), later.delay());
            context.complete();
            metrics.delayedRetry(later.attempt());
        } else if (recovery instanceof Recovery.DeadLetter dead) {
            LOG.warn("Dead-lettering {}: {} ({})", event.key(), dead.reason(), dead.description());
            Map<String, Object> details = new HashMap<>();
            details.put(DETAIL_PREFIX + "attempts", attempt + 1);
            details.put(DETAIL_PREFIX + "last-error", clip(String.valueOf(failure.getMessage())));
            deadLetter(context, dead.reason(), dead.description(), details);
        } else {
            Recovery.PauseIntake pause = (Recovery.PauseIntake) recovery;
            // The event is good: it comes back when intake resumes, without counting as an attempt.
            scheduleCopy(context.getMessage(), event.key(), attempt, pause.probeEvery());
            context.complete();
            intake.pause(pause.why(), pause.probeEvery());
        }
    }

    private void deadLetter(ServiceBusReceivedMessageContext context, String reason, String description,
            Map<String, Object> details) {
        details.put(DETAIL_PREFIX + "worker-version", workerVersion);
        context.deadLetter(new DeadLetterOptions()
                .setDeadLetterReason(reason)
                .setDeadLetterErrorDescription(clip(description))
                .setPropertiesToModify(details));
        metrics.deadLettered(reason);
    }

    /**
     * A copy of the message for a later attempt. Its MessageId differs from the original's, or duplicate
     * detection would drop it; its body is untouched, so the ledger knows it for the same event.
     */
    private void scheduleCopy(ServiceBusReceivedMessage original, EventKey key, int attempt, Duration delay) {
        ServiceBusMessage copy = new ServiceBusMessage(original);
        copy.setMessageId(MessageIds.retryCopy(key, attempt, clock.millis()));
        copy.getApplicationProperties().put(ATTEMPT_PROPERTY, attempt);
        retrySender.scheduleMessage(copy, OffsetDateTime.ofInstant(clock.instant().plus(delay), ZoneOffset.UTC));
    }

    private static int delayedAttempts(ServiceBusReceivedMessage message) {
        Object value = message.getApplicationProperties().get(ATTEMPT_PROPERTY);
        return value instanceof Number number ? Math.max(0, number.intValue()) : 0;
    }

    private static String clip(String text) {
        return text.length() <= DESCRIPTION_MAX ? text : text.substring(0, DESCRIPTION_MAX - 1) + "…";
    }
}
