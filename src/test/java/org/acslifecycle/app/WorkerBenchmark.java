package org.acslifecycle.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.slf4j.LoggerFactory;

/**
 * End-to-end throughput of the worker on the embedded emulators and an H2 ledger: N people onboarded, then
 * the same N offboarded (the mass-offboarding case), timed from the first publish to the last ledger commit.
 * Pacing is lifted so the figure is the worker's own capacity, not the ACS quota. Not a test (no {@code Test}
 * suffix). Run, with N people (default 1000) and the concurrency values to compare:
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.app.WorkerBenchmark -Dexec.args="1000 8 16" [-Dsessions=true] [-Didle=PT1S]
 * </pre>
 */
public final class WorkerBenchmark {
    /** -Dsessions=true: session mode on the topology's session-enabled queue; the default is the worker's default. */
    private static final boolean SESSIONS = Boolean.getBoolean("sessions");

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<String> concurrencies = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("8");
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        for (String concurrency : concurrencies) {
            run(people, concurrency);
        }
        System.exit(0);
    }

    private static void run(int people, String concurrency) throws Exception {
        Path directory = Files.createTempDirectory("worker-benchmark");
        Map<String, String> overrides = new HashMap<>(WorkerProcess.withoutDeletionBreaker(Map.of()));
        overrides.putAll(Map.of("servicebus.concurrency", concurrency,
                "servicebus.session-idle-timeout", System.getProperty("idle", "PT0.2S"),
                "acs.pacing.create-identity", "100000", "acs.pacing.delete-identity", "100000",
                "acs.pacing.revoke-tokens", "100000", "ledger.pool-size", String.valueOf(Integer.parseInt(concurrency) + 4)));
        if (SESSIONS) {
            overrides.put("servicebus.sessions", "true");
            overrides.put("servicebus.queue", "lifecycle-events-sessions");
        }
        try (LocalWorker local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")),
                AcsEmulatorConfig.defaults().withQuotaWindowFactor(0.001), overrides)) {
            Instant base = Instant.now().minusSeconds(3600);
            double onboarding = phase(local, people, "user.onboarded", base, people);
            double offboarding = phase(local, people, "user.offboarded", base.plusSeconds(60), 2L * people);
            System.out.printf("WorkerBenchmark sessions=%s concurrency=%s people=%d onboard=%.0f events/s offboard=%.0f events/s%n",
                    SESSIONS, concurrency, people, onboarding, offboarding);
        }
    }

    /** Publishes one event per person and waits until the ledger has handled {@code handledTotal} events. */
    private static double phase(LocalWorker local, int people, String type, Instant time, long handledTotal)
            throws InterruptedException {
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            events.add(EventPublisher.cloudEvent(type + "-" + i, "/hr/bench", type, "b" + i, time.toString(), null));
        }
        Collections.shuffle(events);
        long start = System.nanoTime();
        events.forEach(local.publisher::publish);
        while (handled(local, people, type) < people) {
            Thread.sleep(100);
        }
        return people / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

    /** People whose last applied event is of {@code type} (cheap enough at this scale: one history per person). */
    private static long handled(LocalWorker local, int people, String type) {
        long count = 0;
        for (int i = 0; i < people; i++) {
            var record = local.worker.ledger().history("b" + i).flatMap(h -> h.record());
            if (record.isPresent() && record.get().lastEventKey().id().startsWith(type)) {
                count++;
            }
        }
        return count;
    }
}
