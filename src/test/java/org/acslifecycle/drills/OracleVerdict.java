package org.acslifecycle.drills;

import java.util.ArrayList;
import java.util.List;

/**
 * What the oracle found: the three counts of the table and every other broken promise as a finding in words. A
 * drill adds its own findings (e.g. "intake did not pause") with {@link #withFinding}.
 */
public record OracleVerdict(long lost, long duplicated, long goodDeadLettered, List<String> findings) {

    public OracleVerdict {
        findings = List.copyOf(findings);
    }

    public boolean passed() {
        return lost == 0 && duplicated == 0 && goodDeadLettered == 0 && findings.isEmpty();
    }

    public OracleVerdict withFinding(String finding) {
        List<String> all = new ArrayList<>(findings);
        all.add(finding);
        return new OracleVerdict(lost, duplicated, goodDeadLettered, all);
    }

    /** Adds {@code finding} when {@code holds} is false: {@code verdict = verdict.expect(x == y, "x is " + x)}. */
    public OracleVerdict expect(boolean holds, String finding) {
        return holds ? this : withFinding(finding);
    }

    /** The counts that are not zero and the first findings, short enough for a table's last column. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (lost != 0) {
            parts.add(lost + " lost");
        }
        if (duplicated != 0) {
            parts.add(duplicated + " duplicated");
        }
        if (goodDeadLettered != 0) {
            parts.add(goodDeadLettered + " good dead-lettered");
        }
        findings.stream().limit(3).forEach(parts::add);
        if (findings.size() > 3) {
            parts.add("and " + (findings.size() - 3) + " more");
        }
        return String.join("; ", parts);
    }
}
