package org.acslifecycle.app.config;

/** A missing or bad configuration value; the message names the key and its environment variable. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
