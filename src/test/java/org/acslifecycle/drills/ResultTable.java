package org.acslifecycle.drills;

import java.io.PrintStream;
import java.util.List;

/** The drills' table: one row per drill, then {@code N passed, M failed}. */
final class ResultTable {

    private static final String ROW = "%-11s | %-26s | %-30s | %5s | %5s | %5s | %8s | %-4s | %s%n";

    private ResultTable() {}

    static void print(List<DrillResult> results, PrintStream out) {
        out.printf(ROW, "drill", "load", "faults injected", "lost", "dup", "dlq", "wall", "pass", "reason");
        out.println("-".repeat(130));
        for (DrillResult r : results) {
            out.printf(ROW, r.drill(), r.load(), r.faults(), count(r.lost()), count(r.duplicated()),
                    count(r.goodDeadLettered()), String.format("%.1fs", r.wallTime().toMillis() / 1000.0),
                    r.passed() ? "PASS" : "FAIL", r.reason());
        }
        out.println(summary(results));
    }

    static String summary(List<DrillResult> results) {
        long passed = results.stream().filter(DrillResult::passed).count();
        return passed + " passed, " + (results.size() - passed) + " failed";
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.valueOf(n);
    }
}
