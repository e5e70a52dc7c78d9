package org.acslifecycle.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.acslifecycle.app.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run}: the worker in production, from the configuration and the environment, until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the worker against Service Bus, ACS and the ledger named by the configuration, until stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws InterruptedException {
        return runUntilStopped(configOptions.config());
    }

    /** Starts the worker and serves until the JVM is asked to stop; then stops it gracefully. */
    static int runUntilStopped(Config config) throws InterruptedException {
        return runUntilStopped(config, worker -> { });
    }

    /** Same, telling {@code started} about the worker once it runs (how {@code local} prints its token URL). */
    static int runUntilStopped(Config config, java.util.function.Consumer<Worker> started) throws InterruptedException {
        WorkerSettings settings = WorkerSettings.from(config);
        LogSetup.apply(settings.logFormat());
        Worker worker = Worker.start(settings, Wiring.CLOCK);
        started.accept(worker);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "worker-shutdown"));
        stopped.await();
        return 0;
    }
}
