package org.acslifecycle.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every secret the drills of one invocation used (keys, connection strings, SAS keys, ACS tokens issued) and every
 * directory they logged to, for the secrets drill to search. Secrets are kept by label, never printed.
 */
public final class KnownSecrets {

    /** A secret shorter than this would match by chance (an empty password, a short default). */
    private static final int SHORTEST = 8;

    private final Map<String, String> byValue = new LinkedHashMap<>();
    private final List<Path> logDirectories = new ArrayList<>();

    public synchronized void add(String label, String value) {
        if (value != null && value.length() >= SHORTEST) {
            byValue.putIfAbsent(value, label);
        }
    }

    synchronized void addLogDirectory(Path directory) {
        logDirectories.add(directory);
    }

    public synchronized int size() {
        return byValue.size();
    }

    public synchronized List<Path> logDirectories() {
        return List.copyOf(logDirectories);
    }

    /** One file's findings: how often each labelled secret occurs in it. */
    public record Occurrence(Path file, String label, int count) {}

    /**
     * Every occurrence of every secret in every log file under the log directories: {@code .out} and {@code .err}
     * (a worker's output), {@code .log} (the runner's, PostgreSQL's). Not the workers' configuration files: that is
     * where the secrets are meant to be.
     */
    public synchronized List<Occurrence> scan() {
        List<Occurrence> found = new ArrayList<>();
        for (Path directory : logDirectories) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.filter(KnownSecrets::isLog).toList()) {
                    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                    byValue.forEach((secret, label) -> {
                        int count = occurrences(text, secret);
                        if (count > 0) {
                            found.add(new Occurrence(file, label, count));
                        }
                    });
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scan " + directory, e);
            }
        }
        return found;
    }

    /** The log files {@link #scan()} reads, for the row's load column. */
    public synchronized long filesScanned() {
        long count = 0;
        for (Path directory : logDirectories) {
            try (Stream<Path> files = Files.walk(directory)) {
                count += files.filter(KnownSecrets::isLog).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return count;
    }

    private static boolean isLog(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".out") || name.endsWith(".err") || name.endsWith(".log"));
    }

    private static int occurrences(String text, String secret) {
        int count = 0;
        for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length())) {
            count++;
        }
        return count;
    }
}
