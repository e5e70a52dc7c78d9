package org.acslifecycle.app;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.IdentityView;
import org.acslifecycle.emulators.acs.Operation;
import org.acslifecycle.ledger.LedgerSettings;
import org.acslifecycle.messaging.EventPublisher;
import org.slf4j.LoggerFactory;

/**
 * The worker issue's benchmark, on the embedded emulators and an H2 ledger, in one JVM:
 * <ol>
 *   <li>mass offboarding of N people (default 2,000) with the ACS quota window scaled down (500 deletes per
 *       {@code W} s, default 25 s, so the quota binds before the worker does): time until everyone's identity
 *       is deleted, against the quota bound, and the number of 429s;</li>
 *   <li>revocation lag (event time → ACS acknowledged the delete) p50/p99 for single offboardings at light
 *       load (one every 250 ms) and at half the quota;</li>
 *   <li>heap after GC and CPU time per event — of the whole JVM, which also runs both emulators, so an upper
 *       bound for the worker alone.</li>
 * </ol>
 * Not a test. Run:
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.app.MassOffboardingBenchmark -Dexec.args="2000 25"
 * </pre>
 */
public final class MassOffboardingBenchmark {

    private static final int QUOTA_DELETES = 500;

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int windowSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path directory = Files.createTempDirectory("mass-offboarding");
        Map<String, String> overrides = Map.of(
                "servicebus.concurrency", "64", "ledger.pool-size", "40",
                "acs.pacing.window", "PT" + windowSeconds + "S");
        AcsEmulatorConfig acs = AcsEmulatorConfig.defaults().withQuotaWindowFactor(windowSeconds / 30.0);
        try (LocalWorker local = new LocalWorker(LedgerSettings.h2File(directory.resolve("ledger")), acs, overrides)) {
            Instant base = Instant.now().minusSeconds(3600);
            publishAll(local, people, "user.onboarded", "m", base);
            waitUntil(() -> live(local) == people, Duration.ofMinutes(10));
            local.emulators.acs().resetCallCounts();

            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            Instant start = Instant.now();
            publishAll(local, people, "user.offboarded", "m", Instant.now());
            waitUntil(() -> live(local) == 0, Duration.ofMinutes(20));
            double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            double quotaRate = (double) QUOTA_DELETES / windowSeconds;
            // The quota bound: the time the quota rate itself needs for N deletes.
            double boundSeconds = people / quotaRate;
            long throttled = local.emulators.acs().callCounts().count(Operation.DELETE_IDENTITY, 429);
            System.out.printf("MassOffboarding people=%d quota=%d deletes/%ds (%.1f/s) took=%.1fs rate=%.1f/s "
                            + "(%.0f%% of the quota rate; quota bound %.0fs) 429s=%d cpu=%.2f ms/event (whole JVM)%n",
                    people, QUOTA_DELETES, windowSeconds, quotaRate, seconds, people / seconds,
                    100 * (people / seconds) / quotaRate, boundSeconds, throttled, cpu / 1e6 / people);

            lag(local, "light", 40, Duration.ofMillis(250), base);
            lag(local, "half-quota", (int) (quotaRate / 2 * 20), Duration.ofMillis((long) (2000 / quotaRate)), base);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            System.out.printf("Heap after GC: %d MiB (worker + both emulators + %d people in H2)%n",
                    memory.getHeapMemoryUsage().getUsed() / (1024 * 1024), people);
        }
        System.exit(0);
    }

    /** Onboards {@code count} people, then offboards them one every {@code gap}; prints lag p50/p99. */
    private static void lag(LocalWorker local, String load, int count, Duration gap, Instant base) throws Exception {
        String prefix = "lag-" + load + "-";
        publishAll(local, count, "user.onboarded", prefix, base);
        waitUntil(() -> live(local) == count, Duration.ofMinutes(5));
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant time = Instant.now();
            times.add(time);
            local.publisher.publish(EventPublisher.cloudEvent(prefix + "off-" + i, "/hr/bench", "user.offboarded",
                    prefix + i, time.toString(), null));
            Thread.sleep(gap.toMillis());
        }
        waitUntil(() -> live(local) == 0, Duration.ofMinutes(5));
        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String subject = prefix + i;
            String acsUserId = local.worker.ledger().history(subject).orElseThrow().audit().get(0).acsUserId().orElseThrow();
            Optional<IdentityView> identity = local.emulators.acs().identities().stream()
                    .filter(v -> v.id().equals(acsUserId)).findFirst();
            lags.add(Duration.between(times.get(i), identity.orElseThrow().deletedAt()).toMillis());
        }
        lags.sort(Long::compare);
        System.out.printf("Revocation lag (%s load, %d offboardings, one every %d ms): p50=%d ms p99=%d ms max=%d ms%n",
                load, count, gap.toMillis(), lags.get(lags.size() / 2), lags.get((int) Math.ceil(lags.size() * 0.99) - 1),
                lags.get(lags.size() - 1));
    }

    private static void publishAll(LocalWorker local, int count, String type, String prefix, Instant time) {
        for (int i = 0; i < count; i++) {
            local.publisher.publish(EventPublisher.cloudEvent(prefix + type + "-" + i, "/hr/bench", type, prefix + i,
                    time.toString(), null));
        }
    }

    /** Live identities in ACS: the phases run one after the other, so this counts the current phase's people. */
    private static long live(LocalWorker local) {
        long live = local.emulators.acs().identities().stream().filter(v -> v.deletedAt() == null).count();
        progress.set("live identities: " + live + ", ACS calls: " + local.emulators.acs().callCounts().total());
        return live;
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void waitUntil(Check check, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Instant nextReport = Instant.now().plusSeconds(10);
        while (!check.done()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("benchmark phase did not finish within " + timeout);
            }
            if (Instant.now().isAfter(nextReport)) {
                System.out.printf("  … %s%n", progress.get());
                nextReport = Instant.now().plusSeconds(10);
            }
            Thread.sleep(100);
        }
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> progress =
            new java.util.concurrent.atomic.AtomicReference<>("");
}
