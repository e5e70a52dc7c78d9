package org.acslifecycle.emulators.servicebus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers message ids for the entity's DuplicateDetectionHistoryTimeWindow (insertion order = time order). */
final class DuplicateDetector {
    private final Duration window;
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    DuplicateDetector(Duration window) {
        this.window = window;
    }

    /** True if the id was seen inside the window; otherwise remembers it. */
    boolean isDuplicate(String messageId, Instant now) {
        prune(now);
        if (seen.containsKey(messageId)) {
            return true;
        }
        seen.put(messageId, now);
        return false;
    }

    void prune(Instant now) {
        Instant horizon = now.minus(window);
        Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().isBefore(horizon)) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
