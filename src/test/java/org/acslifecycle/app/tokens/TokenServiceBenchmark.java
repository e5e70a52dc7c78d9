package org.acslifecycle.app.tokens;

import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.core.port.PendingTerminations;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.identity.AcsIdentityAdapter;
import org.acslifecycle.identity.AcsIdentityConfig;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.identity.RetrySettings;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;

/**
 * Latency and throughput of {@code POST /v1/tokens} against the ACS emulator, with ACS pacing and the issue
 * budget lifted (so the service itself is measured, not the quota): an open-loop phase at a fixed rate (latency
 * from each request's scheduled start, so a stall is not hidden by waiting for it), a closed-loop phase at
 * full speed, and the refusal latency for a suspended person. Not a test; run it with
 *
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.app.tokens.TokenServiceBenchmark -Dexec.args="100 20 8"</pre>
 *
 * Arguments: rate (req/s, default 100), seconds at that rate (default 20), clients of the full-speed phase
 * (default 8). The last line is {@code RESULT key=value ...}.
 */
public final class TokenServiceBenchmark {

    private static final int PEOPLE = 50;
    private static final String BODY = "{\"scopes\": [\"chat\", \"voip\"], \"expiresInMinutes\": 60}";

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path directory = Files.createTempDirectory("token-benchmark");
        // The emulator's quota window shrunk 100-fold: its limits stay real but do not bind at these rates.
        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults().withQuotaWindowFactor(0.01));
                TestIssuer issuer = new TestIssuer();
                JdbcLedger ledger = JdbcLedger.open(LedgerSettings.h2File(directory.resolve("ledger")), Clock.systemUTC())) {
            // Every timer with p50/p99, to split a request's time: inside the service, and inside its ACS call.
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return DistributionStatisticConfig.builder().percentiles(0.5, 0.99).build().merge(config);
                }
            });
            AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(AcsIdentityConfig.ofConnectionString(acs.connectionString())
                    .withTrustedCertificate(acs.certificatePem())
                    .withRetry(new RetrySettings(1, Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(10), true))
                    .withAttemptTimeout(Duration.ofSeconds(5)), AcsPacing.unpaced(), registry);
            Controller lifecycle = new Controller(ledger, adapter);
            List<String> callers = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                lifecycle.handle(event(ONBOARDED, "bench-" + i, 0));
                callers.add(longLived(issuer, "bench-" + i));
            }
            lifecycle.handle(event(ONBOARDED, "bench-suspended", 0));
            lifecycle.handle(event(SUSPENDED, "bench-suspended", 1));
            String suspendedCaller = longLived(issuer, "bench-suspended");

            try (TokenServer server = TokenServer.start(new TokenServiceSettings("127.0.0.1", 0, issuer.settings()), ledger,
                    adapter, IssueBudget.unlimited(), PendingTerminations.NONE_RECORDED,
                    () -> false, registry, Clock.systemUTC())) {
                URI url = URI.create("http://127.0.0.1:" + server.port() + "/v1/tokens");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newFixedThreadPool(8)).build();

                System.out.println("Warming up (3000 requests or 20 s)...");
                closedLoop(http, url, callers, 4, 3000, 20_000);

                System.out.printf("Open loop: %d req/s for %d s...%n", rate, seconds);
                Phase open = openLoop(http, url, callers, rate, seconds);
                System.out.printf("  %d requests, %d ok, %d other; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        open.count(), open.ok, open.other, open.percentile(50), open.percentile(99), open.percentile(100));
                // Server-side, over the timers' last two minutes (warm-up included): the service's own time, and
                // the part of it spent in the ACS call (the emulator, in this JVM, signs each token with RSA).
                double[] service = percentiles(registry.find("acs.lifecycle.tokens.latency").tag("outcome", "issued").timer());
                double[] acsCall = percentiles(registry.find("acs.lifecycle.acs.calls").tag("operation", "issueToken").timer());
                System.out.printf("  server side: p50 %.1f ms, p99 %.1f ms; of which the ACS call p50 %.1f ms, p99 %.1f ms%n",
                        service[0], service[1], acsCall[0], acsCall[1]);

                System.out.printf("Closed loop: %d clients for %d s...%n", clients, seconds);
                long start = System.nanoTime();
                Phase full = closedLoop(http, url, callers, clients, Integer.MAX_VALUE, Duration.ofSeconds(seconds).toMillis());
                double fullRate = full.count() / ((System.nanoTime() - start) / 1e9);
                System.out.printf("  %.0f requests/s, %d ok, %d other; p50 %.1f ms, p99 %.1f ms%n", fullRate, full.ok, full.other,
                        full.percentile(50), full.percentile(99));

                System.out.println("Refusals for a suspended person (500 requests, one at a time)...");
                Phase refusals = closedLoop(http, url, List.of(suspendedCaller), 1, 500, Long.MAX_VALUE);
                System.out.printf("  %d refused (403), %d other; p50 %.1f ms, p99 %.1f ms%n", refusals.forbidden,
                        refusals.count() - refusals.forbidden, refusals.percentile(50), refusals.percentile(99));

                System.out.printf(Locale.ROOT, "RESULT rate=%d seconds=%d requests=%d ok=%d errors=%d p50_ms=%.1f p99_ms=%.1f "
                                + "max_ms=%.1f goal_p99_le_50ms=%s full_speed_clients=%d full_speed_rps=%.0f full_speed_p99_ms=%.1f "
                                + "refusal_p50_ms=%.1f refusal_p99_ms=%.1f refusals_403=%d server_p50_ms=%.1f server_p99_ms=%.1f "
                                + "acs_call_p50_ms=%.1f acs_call_p99_ms=%.1f cores=%d load_avg=%.1f%n",
                        rate, seconds, open.count(), open.ok, open.other, open.percentile(50), open.percentile(99),
                        open.percentile(100), open.percentile(99) <= 50 && open.other == 0, clients, fullRate,
                        full.percentile(99), refusals.percentile(50), refusals.percentile(99), refusals.forbidden,
                        service[0], service[1], acsCall[0], acsCall[1],
                        // The machine's load says how far the figures are the service's own (2 shared cores here).
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                System.exit(0);
            }
        }
    }

    /** p50 and p99 of a timer in ms (NaN if it recorded nothing). */
    private static double[] percentiles(Timer timer) {
        double[] result = {Double.NaN, Double.NaN};
        if (timer == null) {
            return result;
        }
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            result[value.percentile() < 0.9 ? 0 : 1] = value.value(TimeUnit.MILLISECONDS);
        }
        return result;
    }

    /** A caller token that outlives any run of the benchmark. */
    private static String longLived(TestIssuer issuer, String externalId) {
        return issuer.token(claims -> claims.claim(TestIssuer.USER_CLAIM, externalId)
                .expirationTime(java.util.Date.from(java.time.Instant.now().plus(Duration.ofHours(4)))));
    }

    /** Latencies in ns and answers by kind. */
    private static final class Phase {
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        volatile int ok;
        volatile int forbidden;
        volatile int other;
        private final AtomicInteger okCount = new AtomicInteger();
        private final AtomicInteger forbiddenCount = new AtomicInteger();
        private final AtomicInteger otherCount = new AtomicInteger();

        void record(long nanos, int status) {
            latencies.add(nanos);
            if (status == 200) {
                ok = okCount.incrementAndGet();
            } else if (status == 403) {
                forbidden = forbiddenCount.incrementAndGet();
            } else {
                other = otherCount.incrementAndGet();
            }
        }

        int count() {
            return latencies.size();
        }

        double percentile(int p) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }
    }

    private static HttpRequest request(URI url, String caller) {
        return HttpRequest.newBuilder(url).header("Authorization", "Bearer " + caller)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    /**
     * {@code rate} requests a second, each handed at its time to one of many blocking senders (so connections are
     * reused as a client's pool would) whatever the others do; latency counts from the scheduled time.
     */
    private static Phase openLoop(HttpClient http, URI url, List<String> callers, int rate, int seconds) throws Exception {
        Phase phase = new Phase();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.ExecutorService senders = Executors.newFixedThreadPool(64);
        int total = rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
        for (int i = 0; i < total; i++) {
            long intended = start + i * periodNanos;
            String caller = callers.get(i % callers.size());
            ticker.schedule(() -> senders.execute(() -> {
                int status;
                try {
                    status = http.send(request(url, caller), HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                phase.record(System.nanoTime() - intended, status);
                done.countDown();
            }), intended - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        done.await(seconds + 120L, TimeUnit.SECONDS);
        ticker.shutdownNow();
        senders.shutdownNow();
        return phase;
    }

    /** {@code clients} callers each sending their next request when the last one is answered. */
    private static Phase closedLoop(HttpClient http, URI url, List<String> callers, int clients, int maxRequests,
            long maxMillis) throws Exception {
        Phase phase = new Phase();
        AtomicInteger issued = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(maxMillis, Long.MAX_VALUE / 2_000_000));
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            threads[c] = new Thread(() -> {
                int i;
                while ((i = issued.getAndIncrement()) < maxRequests && System.nanoTime() < deadline) {
                    long begin = System.nanoTime();
                    int status;
                    try {
                        status = http.send(request(url, callers.get(i % callers.size())), HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    phase.record(System.nanoTime() - begin, status);
                }
            });
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return phase;
    }

    private TokenServiceBenchmark() {}

    static {
        // Quiet: the benchmark prints its own lines.
        Arrays.asList("org.acslifecycle", "com.azure").forEach(name -> ((ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.WARN));
    }
}
