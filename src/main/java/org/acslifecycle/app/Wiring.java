package org.acslifecycle.app;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.DeletionControls;
import org.acslifecycle.core.JournalService;
import org.acslifecycle.core.OperatorService;
import org.acslifecycle.core.OrphanService;
import org.acslifecycle.core.port.DeletionSafety;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.execution.JournalExecutor;
import org.acslifecycle.identity.AcsIdentityAdapter;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.messaging.OutcomePublisher;
import org.acslifecycle.messaging.ServiceBusClients;
import org.acslifecycle.messaging.ServiceBusSettings;

/**
 * The one composition root of the commands: from the configuration it makes each adapter a command asks for, once,
 * with one clock, and closes them all at the end. The worker's own wiring ({@link Worker}) takes its settings and
 * this clock; every operator command goes through here, so a command never builds an adapter of its own.
 */
final class Wiring implements AutoCloseable {

    /** The one clock of the process. */
    static final Clock CLOCK = Clock.systemUTC();

    private final Config config;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private JdbcLedger ledger;
    private AcsIdentityAdapter acs;
    private Supplier<TokenCredential> entraCredential;

    private Wiring(Config config) {
        this.config = config;
    }

    static Wiring from(Config config) {
        return new Wiring(config);
    }

    Config config() {
        return config;
    }

    Clock clock() {
        return CLOCK;
    }

    /** The ledger, migrated and opened on first use. */
    JdbcLedger ledger() {
        if (ledger == null) {
            ledger = JdbcLedger.open(ConfigOptions.ledgerSettings(config), CLOCK);
            opened.add(ledger);
        }
        return ledger;
    }

    /** ACS for an operator's direct calls: with the adapter's own retries (a person waits at the prompt). */
    AcsIdentityAdapter acs() {
        if (acs == null) {
            acs = AcsIdentityAdapter.fromConfig(WorkerSettings.acs(config), entraCredential(), AcsPacing.unpaced(),
                    new CompositeMeterRegistry());
        }
        return acs;
    }

    /** The issue-token budget the running workers' token services draw on too, shared through the ledger. */
    IssueBudget issueBudget() {
        return ledger().budget(Worker.budgetLimits(WorkerSettings.acsQuotas(config))).issueBudget();
    }

    OperatorService operators() {
        return new OperatorService(ledger(), acs(), acs(), issueBudget(), ledger().pendingTerminations(), CLOCK);
    }

    /** Re-send possibly orphaned creates and delete what ACS made for them (the operator's adapter, with retries). */
    OrphanService orphans() {
        return new OrphanService(ledger(), acs(), CLOCK);
    }

    /** Retry and drop, recorded in the journal for a running worker to pick up. */
    JournalService journal() {
        return new JournalService(ledger(), JournalExecutor.queueOnly(ledger().transactionScope()), CLOCK);
    }

    /** Legal holds and the deletion breaker as the ledger holds them (reading them needs no Service Bus). */
    DeletionSafety deletionSafety() {
        return ledger().deletionSafety(WorkerSettings.deletionPolicy(config));
    }

    /** Legal holds and held deletions, for a running worker to act on; outcomes go out on the outcomes topic. */
    DeletionControls deletions() {
        return new DeletionControls(ledger(), deletionSafety(), JournalExecutor.queueOnly(ledger().transactionScope()),
                outcomes(), CLOCK);
    }

    /** The outcome events a command's own actions publish, on the outcomes topic. */
    OutcomePublisher outcomes() {
        ServiceBusSettings settings = serviceBus();
        ServiceBusSenderClient sender = ServiceBusClients.builder(settings, entraCredential()).sender()
                .topicName(settings.outcomesTopic()).buildClient();
        opened.add(sender::close);
        return new OutcomePublisher(sender, CLOCK);
    }

    /** The Entra ID credential (for an endpoint or namespace without keys), made once for both SDKs. */
    Supplier<TokenCredential> entraCredential() {
        if (entraCredential == null) {
            entraCredential = AzureCredentials.shared(config);
        }
        return entraCredential;
    }

    ServiceBusSettings serviceBus() {
        return WorkerSettings.serviceBus(config);
    }

    /** A sender onto the lifecycle queue, closed with the wiring. */
    ServiceBusSenderClient lifecycleSender() {
        ServiceBusSettings settings = serviceBus();
        ServiceBusSenderClient sender = ServiceBusClients.builder(settings, entraCredential()).sender().queueName(settings.queue())
                .buildClient();
        opened.add(sender::close);
        return sender;
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // Closing on the way out: nothing useful to do with a failure here.
            }
        }
    }
}
