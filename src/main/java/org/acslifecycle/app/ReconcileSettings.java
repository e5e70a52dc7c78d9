package org.acslifecycle.app;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.core.reconcile.RosterFormat;
import org.acslifecycle.core.reconcile.RosterStatus;

/** The {@code reconcile.roster.*} keys: how the HR roster export names its columns and statuses. */
final class ReconcileSettings {

    static final String EXTERNAL_ID_COLUMN = "reconcile.roster.external-id-column";
    static final String STATUS_COLUMN = "reconcile.roster.status-column";
    static final String EFFECTIVE_DATE_COLUMN = "reconcile.roster.effective-date-column";

    private ReconcileSettings() {}

    /** {@code reconcile.roster.active-values}, {@code ...suspended-values}, {@code ...terminated-values}. */
    static String valuesKey(RosterStatus status) {
        return "reconcile.roster." + status.name().toLowerCase(Locale.ROOT) + "-values";
    }

    /** The roster format from the configuration; a key left out keeps its default (RosterFormat.DEFAULT). */
    static RosterFormat rosterFormat(Config config) {
        RosterFormat defaults = RosterFormat.DEFAULT;
        Map<RosterStatus, List<String>> words = new EnumMap<>(RosterStatus.class);
        Map<String, String> keyOfWord = new java.util.HashMap<>();
        for (RosterStatus status : RosterStatus.values()) {
            String key = valuesKey(status);
            List<String> values = config.optional(key)
                    .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(w -> !w.isEmpty()).toList())
                    .orElse(defaults.statusWords().get(status));
            if (values.isEmpty()) {
                throw config.bad(key, "needs at least one value");
            }
            for (String value : values) {
                String other = keyOfWord.putIfAbsent(value.toLowerCase(Locale.ROOT), key);
                if (other != null && !other.equals(key)) {
                    throw config.bad(key, "has the value '" + value + "', which " + other + " has too");
                }
            }
            words.put(status, values);
        }
        return new RosterFormat(config.optional(EXTERNAL_ID_COLUMN).orElse(defaults.externalIdColumn()),
                config.optional(STATUS_COLUMN).orElse(defaults.statusColumn()),
                config.optional(EFFECTIVE_DATE_COLUMN).orElse(defaults.effectiveDateColumn()), words);
    }
}
