package org.acslifecycle.drills;

import java.time.Duration;

/**
 * The two sizes of the same drills: {@code small} runs inside {@code mvn verify} (a few hundred events per drill,
 * a few minutes in all) so the drills cannot rot; {@code full} is the table. A drill takes its numbers from
 * here, so the one place to read what each size does is this class.
 */
public enum Scale {
    SMALL, FULL;

    /** The events a drill publishes (before duplicates and poison); the column "load". */
    public int events(String drill) {
        return switch (drill) {
            case "duplicates", "crash", "replicas", "database", "poison" -> pick(200, 10_000);
            case "throttling", "outage", "broker" -> pick(150, 5_000);
            default -> throw new IllegalArgumentException("no load for drill " + drill);
        };
    }

    /** People in the wrong-feed drill; half of them are terminated. */
    public int wrongFeedPeople() {
        return pick(200, 2_000);
    }

    /** SIGKILLs of the worker in the crash drill. */
    public int crashKills() {
        return pick(3, 10);
    }

    /** How long the database drill keeps PostgreSQL down before restarting it. */
    public Duration databaseDowntime() {
        return this == SMALL ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
    }

    /** How long the outage drill keeps ACS down (every Identity API call answered 503). */
    public Duration acsOutage() {
        return this == SMALL ? Duration.ofSeconds(12) : Duration.ofSeconds(60);
    }

    /** Fuzzed poison messages the poison drill sends among its good events. */
    public int poisonMessages() {
        return pick(100, 1_000);
    }

    /** Tampered requests the tampering drill sends of each kind. */
    public int tamperedPerKind() {
        return pick(10, 100);
    }

    /** The small value or the full one. */
    public <T> T pick(T small, T full) {
        return this == SMALL ? small : full;
    }

    public int pick(int small, int full) {
        return this == SMALL ? small : full;
    }

    public static Scale parse(String arg) {
        return switch (arg) {
            case "small" -> SMALL;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("scale must be small or full, was " + arg);
        };
    }
}
