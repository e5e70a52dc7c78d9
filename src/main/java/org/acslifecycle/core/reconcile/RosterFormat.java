package org.acslifecycle.core.reconcile;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How an HR roster export names things: its column names and the words it uses for each status (several words
 * may mean one status, e.g. {@code terminated,retired}). Status words are matched ignoring case and surrounding
 * blanks.
 *
 * @param externalIdColumn    header of the column holding the external id (the events' subject)
 * @param statusColumn        header of the status column
 * @param effectiveDateColumn header of the optional column saying since when the status holds
 * @param statusWords         for each status, the words meaning it; every status needs at least one
 */
public record RosterFormat(String externalIdColumn, String statusColumn, String effectiveDateColumn,
        Map<RosterStatus, List<String>> statusWords) {

    public static final RosterFormat DEFAULT = new RosterFormat("externalId", "status", "effectiveDate",
            Map.of(RosterStatus.ACTIVE, List.of("active"), RosterStatus.SUSPENDED, List.of("suspended"),
                    RosterStatus.TERMINATED, List.of("terminated")));

    public RosterFormat {
        Objects.requireNonNull(externalIdColumn, "externalIdColumn");
        Objects.requireNonNull(statusColumn, "statusColumn");
        Objects.requireNonNull(effectiveDateColumn, "effectiveDateColumn");
        statusWords = Map.copyOf(new EnumMap<>(statusWords));
        Map<String, RosterStatus> seen = new HashMap<>();
        for (RosterStatus status : RosterStatus.values()) {
            List<String> words = statusWords.get(status);
            if (words == null || words.isEmpty()) {
                throw new IllegalArgumentException("no word for roster status " + status.name().toLowerCase(Locale.ROOT));
            }
            for (String word : words) {
                RosterStatus other = seen.put(normal(word), status);
                if (other != null && other != status) {
                    throw new IllegalArgumentException("the word '" + word + "' means both " + other + " and " + status);
                }
            }
        }
    }

    /** The status a roster value means, or empty if it means none. */
    public Optional<RosterStatus> status(String value) {
        String normal = normal(value);
        for (Map.Entry<RosterStatus, List<String>> entry : statusWords.entrySet()) {
            if (entry.getValue().stream().anyMatch(word -> normal(word).equals(normal))) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    /** Every status word, for error messages: {@code active, suspended, terminated}. */
    public String knownWords() {
        return java.util.Arrays.stream(RosterStatus.values()).flatMap(s -> statusWords.get(s).stream())
                .collect(Collectors.joining(", "));
    }

    private static String normal(String word) {
        return word.strip().toLowerCase(Locale.ROOT);
    }
}
