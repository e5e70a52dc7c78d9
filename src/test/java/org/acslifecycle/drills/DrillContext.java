package org.acslifecycle.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a drill is given: the scale, a seed (printed, so a run can be repeated with {@code -Ddrills.seed=N}), its log
 * directory {@code target/drills/<name>/}, the drills' own PostgreSQL, the secrets registry the secrets drill reads,
 * and {@link #rig(RigOptions)} for the emulators, a ledger schema and workers. A drill author:
 * <ul>
 *   <li>takes sizes from {@link #scale()} (add yours to {@link Scale}) and randomness from {@link #seed()};</li>
 *   <li>opens one {@link DrillRig} (or more, one after the other) in try-with-resources;</li>
 *   <li>writes every file under {@link #logs()} and registers any secret of its own with
 *       {@code secrets().add(label, value)} (the rig registers the emulators' keys and the tokens it issues);</li>
 *   <li>may kill and restart {@link #database()}, but must leave it running when the drill ends.</li>
 * </ul>
 */
public final class DrillContext {

    private final String drill;
    private final Scale scale;
    private final long seed;
    private final Path logs;
    private final DrillDatabase database;
    private final KnownSecrets secrets;

    DrillContext(String drill, Scale scale, long seed, Path logs, DrillDatabase database, KnownSecrets secrets) {
        this.drill = drill;
        this.scale = scale;
        this.seed = seed;
        this.logs = logs;
        this.database = database;
        this.secrets = secrets;
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String drill() {
        return drill;
    }

    public Scale scale() {
        return scale;
    }

    public long seed() {
        return seed;
    }

    public Path logs() {
        return logs;
    }

    public DrillDatabase database() {
        return database;
    }

    public KnownSecrets secrets() {
        return secrets;
    }

    /** Starts the emulators and a fresh schema; workers are started on the rig. */
    public DrillRig rig(RigOptions options) {
        return new DrillRig(this, options);
    }

    /** {@link RigOptions#defaults(long)} with this drill's seed. */
    public RigOptions defaultRig() {
        return RigOptions.defaults(seed);
    }

    /** The seeded load of this drill's size at this scale ({@link Scale#events}). */
    public LifecycleLoad load() {
        return load(scale.events(drill));
    }

    /**
     * A seeded {@link LifecycleLoad} of about {@code events} events (people have 3-10 events each, 6.5 on average),
     * on a timeline that starts 30 days ago so that no event is in the future.
     */
    public LifecycleLoad load(int events) {
        int people = Math.max(1, (int) Math.round(events / 6.5));
        return LifecycleLoad.generate(seed, people, 3, 10,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(java.time.Duration.ofDays(30)));
    }

    /** A short line on the runner's output (the drill's progress), prefixed with its name. */
    public void note(String format, Object... args) {
        System.out.printf("[%s] %s%n", drill, String.format(format, args));
    }
}
