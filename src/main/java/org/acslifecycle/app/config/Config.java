package org.acslifecycle.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The worker's configuration: a properties file ({@code config/local.properties} by default) under
 * environment variables. Every key {@code a.b-c} can be overridden by the variable {@code A_B_C}. Typed
 * getters reject a missing or bad value with a message naming both; values of secret keys are never
 * repeated in a message.
 */
public final class Config {

    private final Properties file;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;
    private final String origin;

    Config(Properties file, Map<String, String> environment, String origin) {
        this(file, environment, Map.of(), origin);
    }

    private Config(Properties file, Map<String, String> environment, Map<String, String> overrides, String origin) {
        this.file = file;
        this.environment = Map.copyOf(environment);
        this.overrides = Map.copyOf(overrides);
        this.origin = origin;
    }

    /** This configuration with {@code values} set over file and environment: how {@code local} plugs in its emulators. */
    public Config with(Map<String, String> values) {
        Map<String, String> merged = new java.util.HashMap<>(overrides);
        merged.putAll(values);
        return new Config(file, environment, merged, origin);
    }

    /** Reads {@code path} (which must exist) under the process environment. */
    public static Config load(Path path) {
        return load(path, System.getenv());
    }

    public static Config load(Path path, Map<String, String> environment) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + path + ": " + e.getMessage());
        }
        return new Config(properties, environment, path.toString());
    }

    /** Only the given values, for tests and for commands run without a file. */
    public static Config of(Map<String, String> values, Map<String, String> environment) {
        Properties properties = new Properties();
        properties.putAll(values);
        return new Config(properties, environment, "(built in)");
    }

    /** The environment variable that overrides {@code key}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> optional(String key) {
        String fromEnvironment = environment.get(environmentName(key));
        String value = overrides.containsKey(key) ? overrides.get(key)
                : fromEnvironment != null ? fromEnvironment : file.getProperty(key);
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * Every key of the file (and of {@link #with}) that starts with {@code prefix}, each with its value as
     * {@link #optional} resolves it: for a library configured by a family of keys, such as OpenTelemetry's
     * {@code otel.*}. Keys set only in the environment are not listed (their names cannot be mapped back).
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> values = new java.util.TreeMap<>();
        java.util.stream.Stream.concat(file.stringPropertyNames().stream(), overrides.keySet().stream())
                .filter(key -> key.startsWith(prefix))
                .forEach(key -> optional(key).ifPresent(value -> values.put(key, value)));
        return values;
    }

    public String string(String key) {
        return optional(key).orElseThrow(() -> bad(key, "is missing"));
    }

    public int integer(String key, int min, int max) {
        String value = string(key);
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw bad(key, "must be from " + min + " to " + max + ", was " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw bad(key, "must be a whole number from " + min + " to " + max + ", was '" + value + "'");
        }
    }

    public boolean bool(String key) {
        String value = string(key);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, "must be true or false, was '" + value + "'");
        };
    }

    /** An ISO-8601 duration such as {@code PT30S}; must be positive. */
    public Duration duration(String key) {
        return parseDuration(key, string(key));
    }

    /** An ISO-8601 duration that may be zero, such as a grace period of {@code PT0S}. */
    public Duration durationOrZero(String key) {
        String value = string(key);
        Duration duration = parse(key, value);
        if (duration.isNegative()) {
            throw bad(key, "must be zero or a positive duration, was " + value);
        }
        return duration;
    }

    /** A decimal number from {@code min} to {@code max}, such as a share. */
    public double decimal(String key, double min, double max) {
        String value = string(key);
        try {
            double number = Double.parseDouble(value);
            if (!(number >= min && number <= max)) {
                throw bad(key, "must be from " + min + " to " + max + ", was " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number from " + min + " to " + max + ", was '" + value + "'");
        }
    }

    /** A comma-separated list of ISO-8601 durations. */
    public List<Duration> durations(String key) {
        return Arrays.stream(string(key).split(",")).map(String::trim).map(v -> parseDuration(key, v)).toList();
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        String value = string(key);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw bad(key, "must be one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
                    + ", was '" + value + "'");
        }
    }

    /** A secret: present or not, its value never appears in an error. */
    public Optional<String> secret(String key) {
        return optional(key);
    }

    private Duration parse(String key, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw bad(key, "must be an ISO-8601 duration such as PT30S, was '" + value + "'");
        }
    }

    private Duration parseDuration(String key, String value) {
        Duration duration = parse(key, value);
        if (duration.isNegative() || duration.isZero()) {
            throw bad(key, "must be a positive duration, was " + value);
        }
        return duration;
    }

    public ConfigException bad(String key, String problem) {
        return new ConfigException("configuration key '" + key + "' (environment " + environmentName(key) + ", file "
                + origin + ") " + problem);
    }
}
