package org.acslifecycle.app;

import java.io.BufferedWriter;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.acslifecycle.core.reconcile.RosterFormat;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import picocli.CommandLine;

/**
 * The reconciliation benchmark (not a test): a generated N-row roster against an H2 ledger of N people, about 2 %
 * of them drifted. The dry run is measured in a child JVM capped at {@code -Xmx256m} (so finishing at all shows it
 * fits), for wall time and sampled peak heap; goal ≤ 10 s and ≤ 256 MiB at N = 100 000. Last line:
 * {@code RESULT key=value ...}.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.acslifecycle.app.ReconcileBenchmark -Dexec.args="100000"
 * </pre>
 */
public final class ReconcileBenchmark {

    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String maxHeap = args.length > 1 ? args[1] : "256m";
        Path directory = Files.createTempDirectory("reconcile-benchmark");
        Instant asOf = Instant.parse("2026-11-30T06:00:00Z");
        LedgerSettings ledger = LedgerSettings.h2File(directory.resolve("ledger"));

        long setupStart = System.nanoTime();
        int drifted = populate(ledger, people, asOf, directory.resolve("roster.csv"));
        Path config = directory.resolve("benchmark.properties");
        Files.writeString(config, Files.readString(Path.of("config/local.properties")) + "\nledger.url="
                + ledger.jdbcUrl() + "\nledger.pool-size=2\nlog.format=human\n");
        System.out.printf("setup: %,d people in the ledger and the roster (%,d drifted) in %.1f s; roster %,d bytes%n",
                people, drifted, (System.nanoTime() - setupStart) / 1e9, Files.size(directory.resolve("roster.csv")));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", classpath(), Child.class.getName(), config.toString(),
                directory.resolve("roster.csv").toString(), asOf.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = child.waitFor();
        System.out.print(output.lines().filter(l -> l.startsWith("child ") || l.startsWith("drift ")
                || l.startsWith("error") || l.contains("Exception") || l.contains("OutOfMemory"))
                .map(l -> l + "\n").reduce("", String::concat));
        String childResult = output.lines().filter(l -> l.startsWith("CHILD ")).reduce((a, b) -> b).orElse("CHILD failed=true");
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println("RESULT people=" + people + " drifted=" + drifted + " xmx=" + maxHeap + " jvmExit=" + exit
                + " " + childResult.substring("CHILD ".length()));
    }

    /** The ledger (people p000000…) and a roster that agrees on 98 % of them; returns how many drifted. */
    private static int populate(LedgerSettings ledger, int people, Instant asOf, Path roster) throws Exception {
        JdbcLedger.open(ledger, Clock.systemUTC()).close(); // migrations
        int drifted = 0;
        OffsetDateTime before = OffsetDateTime.ofInstant(asOf.minusSeconds(86_400), ZoneOffset.UTC);
        try (Connection connection = DriverManager.getConnection(ledger.jdbcUrl() + H2_OPTIONS, "sa", "");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO person (external_id, acs_user_id,"
                        + " state, last_event_time, last_event_source, last_event_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
                BufferedWriter csv = Files.newBufferedWriter(roster, StandardCharsets.UTF_8)) {
            connection.setAutoCommit(false);
            csv.write("externalId,displayName,department,status,effectiveDate\n");
            for (int i = 0; i < people; i++) {
                String id = String.format("p%06d", (i * 7919L) % people); // roster order is not id order
                int bucket = i % 100;
                String ledgerState;
                String rosterStatus;
                if (bucket == 0) { // missed offboarding
                    ledgerState = "ACTIVE";
                    rosterStatus = "terminated";
                    drifted++;
                } else if (bucket == 1) { // missed suspension
                    ledgerState = "ACTIVE";
                    rosterStatus = "suspended";
                    drifted++;
                } else if (bucket < 10) { // leavers in step
                    ledgerState = "DELETED";
                    rosterStatus = "terminated";
                } else if (bucket < 13) {
                    ledgerState = "SUSPENDED";
                    rosterStatus = "suspended";
                } else {
                    ledgerState = "ACTIVE";
                    rosterStatus = "active";
                }
                insert.setString(1, id);
                insert.setString(2, ledgerState.equals("DELETED") ? null : "8:acs:" + java.util.UUID.randomUUID());
                insert.setString(3, ledgerState);
                insert.setObject(4, before);
                insert.setString(5, "/hr/workday");
                insert.setString(6, "evt-" + i);
                insert.setObject(7, before);
                insert.addBatch();
                if (i % 1000 == 999) {
                    insert.executeBatch();
                }
                csv.write(id + ",\"Person " + i + ", Jr.\",Dept " + (i % 40) + "," + rosterStatus + ","
                        + (bucket < 10 ? "2026-11-01" : "") + "\n");
            }
            insert.executeBatch();
            connection.commit();
        }
        return drifted;
    }

    private static String classpath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                try {
                    entries.add(new File(url.toURI()).getPath());
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /** Runs {@code reconcile} (dry run, text output to nowhere) once and measures it. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path config = Path.of(args[0]);
            Path roster = Path.of(args[1]);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            sampler.start();

            long readStart = System.nanoTime();
            var parsed = RosterCsv.read(roster, RosterFormat.DEFAULT);
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            System.gc();
            long rosterLive = memory.getHeapMemoryUsage().getUsed() - baseline;
            int rows = parsed.size();
            parsed = null;

            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(Writer.nullWriter(), true));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            int exit = cli.execute("reconcile", "--roster", roster.toString(), "--as-of", args[2], "--config",
                    config.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            double load = os.getSystemLoadAverage();
            sampler.interrupt();
            sampler.join();
            out.toString().lines().filter(l -> l.startsWith("drift ")).forEach(System.out::println);
            System.out.printf("child reconcile: exit %d in %.2f s; roster alone: %,d rows read in %.2f s, %.1f MiB live;"
                    + " peak heap used %.1f MiB (max %.0f MiB)%n", exit, seconds, rows, readSeconds, rosterLive / 1048576.0,
                    peak.get() / 1048576.0, memory.getHeapMemoryUsage().getMax() / 1048576.0);
            // CPU time (all threads of this JVM, GC and JIT included) says more than wall time on a shared machine.
            System.out.printf("CHILD exit=%d wallSeconds=%.2f cpuSeconds=%.2f rosterReadSeconds=%.2f rosterLiveMiB=%.1f"
                    + " peakHeapMiB=%.1f maxHeapMiB=%.0f loadAverage=%.1f cores=%d%n", exit, seconds, cpuSeconds, readSeconds,
                    rosterLive / 1048576.0, peak.get() / 1048576.0, memory.getHeapMemoryUsage().getMax() / 1048576.0, load,
                    Runtime.getRuntime().availableProcessors());
        }
    }
}
