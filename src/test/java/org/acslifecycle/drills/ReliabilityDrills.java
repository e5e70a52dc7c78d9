package org.acslifecycle.drills;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The reliability drills (issue 15; README, "Reliability drills"), each on real parts: worker processes in JVMs of
 * their own, the emulators, and a PostgreSQL of the drills' own. Run
 * {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.acslifecycle.drills.ReliabilityDrills -Dexec.args="full"} (or {@code small}), optionally
 * followed by drill names to run only those: {@code small crash database}. Prints one row per drill and
 * {@code N passed, M failed}; exits 1 when a drill failed, 2 on bad arguments.
 */
public final class ReliabilityDrills {

    /**
     * Every drill, in the order, which is the table's. The secrets drill is run last whatever its place here,
     * so that it searches the logs of every other drill of the invocation.
     */
    static final List<Drill> DRILLS = List.of(new DuplicatesDrill(), new CrashDrill(), new ReplicasDrill(),
            new DatabaseDrill(), new ThrottlingDrill(), new OutageDrill(), new BrokerDrill(),
            new PoisonDrill(), new WrongFeedDrill(), new SecretsDrill(), new TamperingDrill());

    static final String SECRETS = "secrets";

    static final Path LOGS = Path.of("target", "drills");

    private ReliabilityDrills() {}

    public static void main(String[] args) {
        Invocation invocation;
        try {
            invocation = Invocation.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        List<DrillResult> results = run(invocation.scale(), invocation.drills(), System.out);
        System.exit(results.stream().allMatch(DrillResult::passed) ? 0 : 1);
    }

    static String usage() {
        return "usage: ReliabilityDrills small|full [drill ...]   drills: "
                + DRILLS.stream().map(Drill::name).collect(Collectors.joining(" "));
    }

    /** The scale and the drills to run, in the table's order whatever order they were named in. */
    record Invocation(Scale scale, List<Drill> drills) {
        static Invocation parse(String... args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no scale given");
            }
            Scale scale = Scale.parse(args[0]);
            if (args.length == 1) {
                return new Invocation(scale, DRILLS);
            }
            Map<String, Drill> byName = DRILLS.stream()
                    .collect(Collectors.toMap(Drill::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
            List<String> named = List.of(args).subList(1, args.length);
            for (String name : named) {
                if (!byName.containsKey(name)) {
                    throw new IllegalArgumentException("no drill named " + name);
                }
            }
            return new Invocation(scale, DRILLS.stream().filter(d -> named.contains(d.name())).toList());
        }
    }

    /** Runs {@code drills} one after the other on one drills' PostgreSQL; prints and returns the table's rows. */
    static List<DrillResult> run(Scale scale, List<Drill> drills, PrintStream out) {
        long seed = Long.getLong("drills.seed", System.nanoTime());
        out.printf("Reliability drills, %s scale, seed %d (repeat with -Ddrills.seed=%d); logs in %s%n",
                scale.name().toLowerCase(), seed, seed, LOGS);
        KnownSecrets secrets = new KnownSecrets();
        List<DrillResult> results = new ArrayList<>();
        try (DrillDatabase database = DrillDatabase.start(LOGS.resolve("postgres"))) {
            secrets.addLogDirectory(LOGS.resolve("postgres"));
            List<Drill> inRunOrder = new ArrayList<>(drills.stream().filter(d -> !d.name().equals(SECRETS)).toList());
            drills.stream().filter(d -> d.name().equals(SECRETS)).forEach(inRunOrder::add);
            for (Drill drill : inRunOrder) {
                results.add(runOne(drill, scale, seed, database, secrets));
                DrillResult last = results.get(results.size() - 1);
                out.printf("[%s] %s in %.1f s%s%n", drill.name(), last.passed() ? "passed" : "FAILED",
                        last.wallTime().toMillis() / 1000.0, last.passed() ? "" : ": " + last.reason());
            }
        } catch (Exception e) {
            throw new IllegalStateException("the drills' PostgreSQL failed: " + e.getMessage(), e);
        }
        results.sort(java.util.Comparator.comparingInt(r -> DRILLS.stream().map(Drill::name).toList().indexOf(r.drill())));
        ResultTable.print(results, out);
        return results;
    }

    private static DrillResult runOne(Drill drill, Scale scale, long seed, DrillDatabase database,
            KnownSecrets secrets) {
        Path logs = LOGS.resolve(drill.name());
        Directories.delete(logs);
        DrillContext context = new DrillContext(drill.name(), scale, seed, logs, database, secrets);
        secrets.addLogDirectory(logs);
        long started = System.nanoTime();
        try (LogCapture ignored = LogCapture.to(logs.resolve("runner.log"))) {
            return drill.run(context).withWallTime(Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception | AssertionError e) {
            e.printStackTrace(System.out);
            return DrillResult.crashed(drill.name(), e, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (!database.running()) {
                database.restart(); // a drill that failed with the database down must not take the next ones along
            }
        }
    }
}
