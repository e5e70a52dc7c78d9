package org.acslifecycle.drills;

/**
 * One reliability drill: a load, a fault, and an oracle that says what the run must show (README, "Reliability
 * drills"). The runner ({@link ReliabilityDrills}) runs each in turn and prints its {@link DrillResult} as a row.
 *
 * <p>To add a drill: write a class in this package that implements this interface, give it the name the runner's
 * command line uses (lower case, one word, e.g. {@code "throttling"}), put its small and full numbers in
 * {@link Scale}, and add it to {@link ReliabilityDrills#DRILLS} in the order. In {@link #run}:
 * <ol>
 *   <li>start what it needs through the {@link DrillContext}: {@code context.rig(RigOptions...)} gives emulators, a
 *       fresh PostgreSQL schema on the drills' own server, a worker configuration and a publisher; close it (try with
 *       resources) so that workers and emulators stop before the next drill;</li>
 *   <li>make the load ({@link LifecycleLoad}, sized by {@code context.scale()}), inject the fault, publish, wait with
 *       {@link DrillRig#awaitOrFail} (it fails early when every worker died by itself);</li>
 *   <li>check the end with {@link LoadOracle} (states, identities, ACS calls, lost, dead letters) and add the drill's
 *       own checks to the {@link OracleVerdict} it returns;</li>
 *   <li>return {@link DrillResult#of}; throwing is allowed: the runner turns it into a failed row with the reason.</li>
 * </ol>
 * Everything a drill writes goes under {@code context.logs()} ({@code target/drills/<name>/}), which the secrets
 * drill scans at the end.
 */
public interface Drill {

    /** The name on the command line and in the table. */
    String name();

    DrillResult run(DrillContext context) throws Exception;
}
