package org.acslifecycle.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The worker as production runs it, {@code run --config FILE}, or as a person runs {@code local}, in a JVM of its
 * own, so that it can be killed for real. It runs from the test JVM's classpath, so no packaged jar is needed.
 */
public final class WorkerProcess {

    private final Process process;
    private final String name;
    private final Path output;

    private WorkerProcess(Process process, String name, Path output) {
        this.process = process;
        this.name = name;
        this.output = output;
    }

    /**
     * Starts {@code run --config configFile}; stdout and stderr go to {@code logs/<name>.out} and {@code .err}.
     * Environment variables that would override the file's keys are removed, so only the file counts.
     */
    public static WorkerProcess start(Path configFile, Path logs, String name) {
        // A small JVM that starts quickly: up to six of them start in turn on a 2-core machine next to the test JVM.
        return start(configFile, logs, name, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    /** As {@link #start(Path, Path, String)}, with these JVM options (a benchmark wants the full JIT). */
    public static WorkerProcess start(Path configFile, Path logs, String name, List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath(), Main.class.getName(), "run", "--config", configFile.toString()));
        return start(command, Path.of(System.getProperty("user.dir")), configFile, logs, name);
    }

    /**
     * Starts {@code local} as someone runs it in a terminal: in {@code directory}, on the
     * {@code config/local.properties} found there (no {@code --config}), so every relative path of that file (the
     * ledger's {@code ./data/ledger}, {@code data/local.env}) is in {@code directory}. Output goes to
     * {@code directory/<name>.out} and {@code .err}.
     */
    static WorkerProcess startLocal(Path directory, String name) {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), Main.class.getName(), "local");
        return start(command, directory, directory.resolve("config/local.properties"), directory, name);
    }

    private static WorkerProcess start(List<String> command, Path workingDirectory, Path configFile, Path logs,
            String name) {
        Path output = logs.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(output.toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
        removeOverridingVariables(builder.environment(), configFile);
        try {
            Files.createDirectories(logs);
            return new WorkerProcess(builder.start(), name, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + name, e);
        }
    }

    /** The first line of its standard output that starts with {@code prefix}, waiting for it up to {@code timeout}. */
    public String awaitOutputLine(String prefix, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing " + prefix);
            }
            try {
                java.util.Optional<String> line = Files.readAllLines(output).stream()
                        .filter(l -> l.startsWith(prefix)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " printed no line starting with " + prefix + " within " + timeout);
    }

    /**
     * The overrides with the deletion breaker out of the way: for drills of volume and crashes, where a mass
     * offboarding is the load, not a wrong feed (the breaker has tests of its own).
     */
    public static Map<String, String> withoutDeletionBreaker(Map<String, String> overrides) {
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.put("breaker.max-deletions", "10000000");
        all.put("breaker.min-deletions", "10000000");
        return all;
    }

    /**
     * Writes the configuration file a worker process runs with: the local defaults, pointed at these emulators and
     * this ledger (health on a free port), then {@code overrides}.
     */
    public static Path writeConfig(EmbeddedEmulators emulators, org.acslifecycle.ledger.LedgerSettings ledger,
            Map<String, String> overrides, Path file) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("config/local.properties"))) {
            properties.load(in);
            properties.putAll(Map.of(
                    "servicebus.connection-string", emulators.serviceBus().connectionString(),
                    "acs.connection-string", emulators.acs().connectionString(),
                    "acs.trusted-certificate-pem", emulators.acs().certificatePem().toString(),
                    "ledger.url", ledger.jdbcUrl(),
                    "ledger.user", ledger.user(),
                    "http.port", "0"));
            properties.putAll(overrides);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (var out = Files.newBufferedWriter(file)) {
                properties.store(out, "worker process");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the worker configuration " + file, e);
        }
    }

    /**
     * Surefire may put only a manifest jar on {@code java.class.path}; it names the real classpath in
     * {@code surefire.test.class.path}. Under {@code mvn exec:java} (the reliability drills) {@code java.class.path}
     * is Maven's own, and the project's classpath is the URLs of the context class loader. In an IDE
     * {@code java.class.path} is the real one.
     */
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null) {
            return surefire;
        }
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader
                && loader.getURLs().length > 0) {
            return java.util.Arrays.stream(loader.getURLs()).map(WorkerProcess::file)
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String file(java.net.URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a file on the classpath: " + url, e);
        }
    }

    private static void removeOverridingVariables(Map<String, String> environment, Path configFile) {
        Properties keys = new Properties();
        try (var in = Files.newBufferedReader(configFile)) {
            keys.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.stringPropertyNames().forEach(key -> environment.remove(key.toUpperCase().replace('.', '_').replace('-', '_')));
        environment.remove("LEDGER_PASSWORD");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is settled or committed on the way out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker " + name + " survived SIGKILL");
        }
    }

    /** SIGTERM, as an orchestrator stops a replica; returns the exit code, or throws if it does not exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("worker " + name + " did not stop within 90 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** The exit code once it has exited: after SIGKILL the JVM reports 128 + 9. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The name its logs go by: {@code logs/<name>.out}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
