package org.acslifecycle.drills;

/**
 * One reliability drill: a load, a fault, and an oracle that says what the run must show (README, "Reliability
 * drills"). The runner ({@link ReliabilityDrills}) runs each in turn and prints its {@link DrillResult} as a row.
 *
 * <p>To add a drill: write a class in this package that implements this interface, give it the name the runner's
 * command line uses (lower case, e.g. {@code "throttling"}), take its sizes from {@link Scale} (add a case there
 * when the existing ones do not fit), and put it in {@link ReliabilityDrills#DRILLS} at its place in the issue's
 * order (the comments there mark the places). In {@link #run}:
 * <ol>
 *   <li>open a {@link DrillRig} in try-with-resources: {@code context.rig(context.defaultRig())} gives both
 *       emulators, a fresh schema on the drills' own PostgreSQL, the worker configuration and a publisher; adjust
 *       with {@link RigOptions} ({@code withAcs(...)} for faults such as {@code FaultPlan.withErrorShares},
 *       {@code withWorkerSetting}, {@code withDeletionBreaker}); closing it stops workers and emulators;</li>
 *   <li>start workers ({@link DrillRig#startWorker}), make the load ({@code context.load()}: a seeded
 *       {@link LifecycleLoad} of the drill's {@link Scale#events}; {@code context.load(n)}; or
 *       {@link LifecycleLoad#of} for events of your own), publish it
 *       ({@link DrillRig#publishInBackground}, {@link DrillRig#publish}, or {@code rig.publisher()} for raw bytes),
 *       inject the fault through {@code rig.acs()} ({@code faults()}), {@code rig.serviceBus()}
 *       ({@code dropAllConnections()}), {@code context.database()} ({@code kill()}, {@code restart()}) or the worker
 *       processes, and wait with {@link DrillRig#awaitOrFail} (it fails early when every worker died by itself),
 *       e.g. for {@link DrillRig#drained};</li>
 *   <li>check the end with {@link LoadOracle} (states, identities, ACS calls, lost, good dead-lettered) and add the
 *       drill's own checks with {@link OracleVerdict#expect}; {@link DrillRig#metric} and {@link DrillRig#readiness}
 *       read a worker's {@code /metrics} and {@code /health/ready};</li>
 *   <li>return {@link DrillResult#of}; throwing is allowed: the runner turns it into a failed row with the reason.</li>
 * </ol>
 * Everything a drill writes goes under {@code context.logs()} ({@code target/drills/<name>/}); the secrets drill
 * searches every {@code .out}, {@code .err} and {@code .log} file there for the keys of the rig's emulators and
 * every token ACS issued, so register any other secret a drill makes up with {@code context.secrets().add}.
 */
public interface Drill {

    /** The name on the command line and in the table. */
    String name();

    DrillResult run(DrillContext context) throws Exception;
}
