package org.acslifecycle.drills;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Searches every file the drills of this invocation wrote (each worker's stdout and stderr, the runner's own log
 * lines, the drills' PostgreSQL log) for every secret they used: the Service Bus connection strings and SAS keys,
 * the ACS connection strings and HMAC access keys, and every ACS token the emulators issued. The runner runs it
 * after every other drill. Must show: 0 occurrences. Run alone it has nothing to search, and fails.
 */
final class SecretsDrill implements Drill {

    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public DrillResult run(DrillContext context) {
        KnownSecrets secrets = context.secrets();
        List<KnownSecrets.Occurrence> found = secrets.scan();
        Map<String, Integer> byLabel = new TreeMap<>();
        found.forEach(o -> byLabel.merge(o.label(), o.count(), Integer::sum));
        int occurrences = byLabel.values().stream().mapToInt(Integer::intValue).sum();
        OracleVerdict verdict = new OracleVerdict(0, 0, 0, List.of())
                .expect(secrets.size() > 0, "no secret to search for: run the secrets drill with the others")
                .expect(occurrences == 0, occurrences + " occurrences: " + byLabel + " in "
                        + found.stream().map(o -> o.file().toString()).distinct().limit(3).toList());
        String load = secrets.filesScanned() + " files, " + secrets.size() + " secrets";
        return DrillResult.of(name(), load, occurrences + " occurrences", verdict);
    }
}
