package org.acslifecycle.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Where the configuration comes from: a file given on the command line, else the local defaults. */
public final class ConfigSource {

    public static final Path LOCAL_DEFAULTS = Path.of("config", "local.properties");

    private ConfigSource() {}

    /**
     * {@code file} if given; else {@code config/local.properties} in the working directory if present;
     * else the copy of the local defaults inside the jar.
     */
    public static Config resolve(Path file, Map<String, String> environment) {
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file " + file + " does not exist");
            }
            return Config.load(file, environment);
        }
        if (Files.isRegularFile(LOCAL_DEFAULTS)) {
            return Config.load(LOCAL_DEFAULTS, environment);
        }
        Properties properties = new Properties();
        try (InputStream in = ConfigSource.class.getResourceAsStream("/config/local.properties")) {
            if (in == null) {
                throw new ConfigException("no configuration file given and no local defaults in the jar");
            }
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("cannot read the local defaults from the jar: " + e.getMessage());
        }
        return new Config(properties, environment, "(local defaults in the jar)");
    }
}
