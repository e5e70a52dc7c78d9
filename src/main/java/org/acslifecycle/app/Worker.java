package org.acslifecycle.app;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.acslifecycle.core.DeletionControls;
import org.acslifecycle.core.IntakeService;
import org.acslifecycle.core.JournalService;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.port.AcsBudget;
import org.acslifecycle.core.port.DeletionSafety;
import org.acslifecycle.app.tokens.TokenServer;
import org.acslifecycle.execution.JournalExecutor;
import org.acslifecycle.execution.OperationRunner;
import org.acslifecycle.identity.AcsIdentityAdapter;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.identity.RetrySettings;
import org.acslifecycle.ledger.JdbcAcsBudget;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.messaging.Intake;
import org.acslifecycle.messaging.LifecycleMessageHandler;
import org.acslifecycle.messaging.OutcomePublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;
import org.acslifecycle.messaging.Watchdog;
import org.acslifecycle.messaging.WorkerMetrics;
import org.acslifecycle.tracing.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running worker: every part made and wired here, by constructor, in one place; started by
 * {@link #start}, stopped by {@link #close} (intake first, then in-flight work, then the clients).
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final JdbcLedger ledger;
    private final JournalExecutor executor;
    private final OperationRunner runner;
    private final JournalService journal;
    private final DeletionControls deletions;
    private final ServiceBusSenderClient retrySender;
    private final ServiceBusSenderClient outcomeSender;
    private final Intake intake;
    private final HealthServer health;
    private final Duration shutdownDeadline;
    private final ServiceBusReceiverClient peeker;
    private final JvmGcMetrics gcMetrics;
    private final Watchdog watchdog;
    private final AtomicReference<String> lastProcessorError = new AtomicReference<>();
    private final Optional<TokenServer> tokens;
    /** Closed with the worker (its last spans exported) when the worker made it. */
    private final Optional<Tracing> ownTracing;

    private Worker(WorkerSettings settings, Clock clock, Tracing tracing, boolean ownsTracing) throws IOException {
        this.shutdownDeadline = settings.shutdownDeadline();
        this.ownTracing = ownsTracing ? Optional.of(tracing) : Optional.empty();
        ServiceBusSettings bus = settings.serviceBus();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkerMetrics metrics = new WorkerMetrics(registry);
        // Heap, GC, threads and CPU of the worker's JVM, for the per-event cost in production.
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        ledger = JdbcLedger.open(settings.ledger(), clock);
        // One HTTP attempt per executor call: the executor retries with back-off, outside the person's lock, under
        // the shared budget (so no pacing in the adapter either).
        // One Entra ID credential (and token cache) for both SDKs, used only where no key is configured.
        Supplier<TokenCredential> entra = AzureCredentials.shared(settings.entraClient());
        AcsIdentityAdapter acs = AcsIdentityAdapter.fromConfig(settings.acs().withRetry(RetrySettings.singleAttempt()),
                entra, AcsPacing.unpaced(), registry, tracing);
        JdbcAcsBudget.Limits limits = budgetLimits(settings.acsPacing());
        JdbcAcsBudget budget = ledger.budget(limits);

        ServiceBusClientBuilder builder = ServiceBusClients.builder(bus, entra);
        retrySender = builder.sender().queueName(bus.queue()).buildClient();
        outcomeSender = builder.sender().topicName(bus.outcomesTopic()).buildClient();
        OutcomePublisher outcomes = new OutcomePublisher(outcomeSender, clock);

        DeletionSafety deletionSafety = ledger.deletionSafety(settings.deletion());
        runner = new OperationRunner(ledger, acs, budget, outcomes, deletionSafety,
                settings.deletion(), settings.executor(), permitsPerSecond(limits), registry, clock, tracing);
        executor = JournalExecutor.running(ledger.transactionScope(), settings.executor(), runner);
        IntakeService service = new IntakeService(ledger, executor, clock);
        // Pending changes (future-dated events) are applied by intake at their effective time, outcomes as for a message.
        executor.onChangeDue(service::applyDue);
        service.onApplied(outcomes::publish);
        journal = new JournalService(ledger, executor, clock);
        deletions = new DeletionControls(ledger, deletionSafety, executor, outcomes, clock);

        IntakeHandle handle = new IntakeHandle();
        LifecycleMessageHandler handler = new LifecycleMessageHandler(
                settings.eventContract(),
                service, ledger, outcomes, retrySender, settings.recovery(), handle, metrics, clock, version(), tracing);
        // Each processor on a connection of its own: closing a paused one then also drops the links its
        // session manager was still opening, which would otherwise hold sessions until their locks expire.
        intake = new Intake(() -> processor(ServiceBusClients.builder(bus, entra), bus, handler), () -> Probes.ledger(ledger),
                handler::inFlight);
        handle.intake = intake;
        peeker = builder.receiver().queueName(bus.queue()).disableAutoComplete().buildClient();
        watchdog = new Watchdog(intake, peeker, settings.watchdogGrace(), clock);
        handler.onDelivery(watchdog::delivered);
        registry.gauge("acs.lifecycle.intake.paused", intake, i -> i.pausedBecause().isPresent() ? 1 : 0);
        registry.gauge("acs.lifecycle.acs.circuit.open", runner, r -> r.heldBecause().isPresent() ? 1 : 0);
        health = new HealthServer(settings.httpHost(), settings.httpPort(), this::liveness, this::readiness, registry);
        tokens = TokenServer.startIfConfigured(settings.tokens(), ledger, acs, budget.issueBudget(),
                ledger.pendingTerminations(), () -> runner.heldBecause().isPresent(), registry, clock, tracing);
    }

    /** The ACS quotas as shared budget slices, a safe margin under the quota (see {@link JdbcAcsBudget.Limits}). */
    static JdbcAcsBudget.Limits budgetLimits(AcsPacing quotas) {
        Map<AcsBudget.Call, Integer> perWindow = new EnumMap<>(AcsBudget.Call.class);
        quotas.permitsPerWindow().forEach((operation, permits) -> {
            switch (operation) {
                case "createIdentity" -> perWindow.put(AcsBudget.Call.CREATE_IDENTITY, permits);
                case "issueToken" -> perWindow.put(AcsBudget.Call.ISSUE_TOKEN, permits);
                case "revokeTokens" -> perWindow.put(AcsBudget.Call.REVOKE_TOKENS, permits);
                case "deleteIdentity" -> perWindow.put(AcsBudget.Call.DELETE_IDENTITY, permits);
                default -> { }
            }
        });
        return JdbcAcsBudget.Limits.fromQuotas(perWindow, quotas.window());
    }

    /** How fast each kind of operation gets through its budgets (a cut-off through both). */
    static Map<Operation.Kind, Double> permitsPerSecond(JdbcAcsBudget.Limits limits) {
        double perSecond = 1000.0 / limits.slice().toMillis();
        double revoke = limits.perSlice().getOrDefault(AcsBudget.Call.REVOKE_TOKENS, 1000.0) * perSecond;
        double delete = limits.perSlice().getOrDefault(AcsBudget.Call.DELETE_IDENTITY, 1000.0) * perSecond;
        double create = limits.perSlice().getOrDefault(AcsBudget.Call.CREATE_IDENTITY, 1000.0) * perSecond;
        return Map.of(Operation.Kind.REVOKE, revoke, Operation.Kind.CUT_OFF, revoke + delete,
                Operation.Kind.CREATE, create, Operation.Kind.DELETE, delete);
    }

    /** Makes and starts the worker; intake and the executor begin at once. Traces as its settings say. */
    public static Worker start(WorkerSettings settings, Clock clock) {
        Tracing tracing = settings.tracing().start();
        try {
            return start(settings, clock, tracing, true);
        } catch (RuntimeException e) {
            tracing.close();
            throw e;
        }
    }

    /** Same, with spans to a tracing the caller owns (a test's in-memory exporter). */
    static Worker start(WorkerSettings settings, Clock clock, Tracing tracing) {
        return start(settings, clock, tracing, false);
    }

    private static Worker start(WorkerSettings settings, Clock clock, Tracing tracing, boolean ownsTracing) {
        Worker worker;
        try {
            worker = new Worker(settings, clock, tracing, ownsTracing);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the health endpoint: " + e.getMessage(), e);
        }
        worker.executor.start();
        worker.intake.start();
        LOG.info("Worker started: {}; health and metrics on http://{}:{}/; {}", settings.serviceBus(),
                settings.httpHost(), worker.health.port(), settings.tracing());
        return worker;
    }

    public int healthPort() {
        return health.port();
    }

    /** The token service's port, if it runs (DESIGN §6). */
    public Optional<Integer> tokenServicePort() {
        return tokens.map(TokenServer::port);
    }

    public org.acslifecycle.core.port.Ledger ledger() {
        return ledger;
    }

    public Intake intake() {
        return intake;
    }

    /** The operators' hold on this worker's journal (retry, drop). */
    /** Legal holds and held deletions, on this worker's executor (the demo; operators use the CLI). */
    public DeletionControls deletions() {
        return deletions;
    }

    public JournalService journal() {
        return journal;
    }

    /** Why ACS work is held (the executor's circuit is open), or empty. */
    public Optional<String> acsWorkHeldBecause() {
        return runner.heldBecause();
    }

    private ServiceBusProcessorClient processor(ServiceBusClientBuilder builder, ServiceBusSettings bus,
            LifecycleMessageHandler handler) {
        // Auto-complete off: a message is settled by the handler only after its effect is recorded.
        // Prefetch 0: a prefetched message's lock runs out while it waits (a lesson from the field).
        if (bus.sessions()) {
            return builder.sessionProcessor().queueName(bus.queue()).disableAutoComplete().prefetchCount(0)
                    .maxConcurrentSessions(bus.concurrency()).maxAutoLockRenewDuration(bus.maxLockRenewal())
                    .sessionIdleTimeout(bus.sessionIdleTimeout())
                    .processMessage(handler).processError(this::processorError).buildProcessorClient();
        }
        return builder.processor().queueName(bus.queue()).disableAutoComplete().prefetchCount(0)
                .maxConcurrentCalls(bus.concurrency()).maxAutoLockRenewDuration(bus.maxLockRenewal())
                .processMessage(handler).processError(this::processorError).buildProcessorClient();
    }

    private void processorError(ServiceBusErrorContext context) {
        Throwable error = context.getException();
        ServiceBusFailureReason reason = error instanceof ServiceBusException sb ? sb.getReason() : null;
        // Lock lost and time-outs heal by redelivery; the ledger makes the repeat harmless.
        if (reason == ServiceBusFailureReason.MESSAGE_LOCK_LOST || reason == ServiceBusFailureReason.SESSION_LOCK_LOST
                || reason == ServiceBusFailureReason.SERVICE_TIMEOUT) {
            LOG.info("Service Bus {} on {}: the message comes back", reason, context.getEntityPath());
            return;
        }
        lastProcessorError.set(reason + ": " + error.getMessage());
        LOG.warn("Service Bus processor error ({}) from {} on {}: {}", reason, context.getErrorSource(),
                context.getEntityPath(), error.getMessage());
    }

    HealthServer.Status liveness() {
        Watchdog.Verdict verdict = watchdog.check();
        return new HealthServer.Status(verdict.alive(), verdict.detail()
                + Optional.ofNullable(lastProcessorError.get()).map(e -> "; last processor error " + e).orElse(""));
    }

    HealthServer.Status readiness() {
        Optional<String> held = runner.heldBecause();
        if (held.isPresent()) {
            return new HealthServer.Status(false, "ACS work held, circuit open: " + held.get()
                    + intake.pausedBecause().map(why -> "; intake paused: " + why).orElse("; intake goes on"));
        }
        // An open deletion breaker keeps the worker ready (revocations, creations and tokens go on): a detail only.
        String deletions = runner.deletionsHeldBecause().map(why -> "; " + why).orElse("");
        return intake.pausedBecause().map(why -> new HealthServer.Status(false, "intake paused: " + why + deletions))
                .orElseGet(() -> new HealthServer.Status(intake.isReady(),
                        (intake.isReady() ? "taking messages" : "not started") + deletions));
    }

    @Override
    public void close() {
        LOG.info("Stopping: intake first, then clients");
        tokens.ifPresent(TokenServer::close);
        intake.stop(shutdownDeadline);
        executor.close();
        peeker.close();
        retrySender.close();
        outcomeSender.close();
        ledger.close();
        health.close();
        gcMetrics.close();
        ownTracing.ifPresent(Tracing::close);
    }

    static String version() {
        String version = Worker.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Lets the handler pause intake, which is made after it. */
    private static final class IntakeHandle implements LifecycleMessageHandler.IntakePause {
        private Intake intake;

        @Override
        public void pause(String why, Duration probeEvery) {
            intake.pause(why, probeEvery);
        }
    }
}
