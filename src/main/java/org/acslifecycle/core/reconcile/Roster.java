package org.acslifecycle.core.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.acslifecycle.core.event.EventFields;

/**
 * An HR roster export held compactly for comparison: no object per row, only arrays sorted by external id (the
 * ids' ASCII bytes back to back with an offset each, one status byte, the line number and the effective date as
 * epoch seconds): 17 bytes per row plus the id's length, so 100 000 rows of 10-character ids take under 3 MiB. Built row by row from a stream by a
 * {@link Builder}, which checks every value and, when sorting, finds duplicate ids.
 */
public final class Roster {

    private static final long NO_DATE = Long.MIN_VALUE;
    private static final RosterStatus[] STATUSES = RosterStatus.values();

    /** Every id's bytes back to back, in id order (ids are ASCII: the subject rule allows nothing else). */
    private final byte[] idBytes;
    /** Row i's id is {@code idBytes[idStarts[i] .. idStarts[i + 1])}. */
    private final int[] idStarts;
    private final byte[] statuses;
    private final int[] lines;
    private final long[] effectiveSeconds;

    private Roster(byte[] idBytes, int[] idStarts, byte[] statuses, int[] lines, long[] effectiveSeconds) {
        this.idBytes = idBytes;
        this.idStarts = idStarts;
        this.statuses = statuses;
        this.lines = lines;
        this.effectiveSeconds = effectiveSeconds;
    }

    public static Builder builder(RosterFormat format) {
        return new Builder(format);
    }

    public int size() {
        return statuses.length;
    }

    /** The row's index for {@code externalId} (ids compare as Java strings do), or -1 if the roster lacks it. */
    public int indexOf(String externalId) {
        byte[] key = ascii(externalId);
        if (key == null) {
            return -1; // not ASCII, so not an id the roster can hold
        }
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Arrays.compareUnsigned(idBytes, idStarts[middle], idStarts[middle + 1], key, 0, key.length);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    public String externalId(int index) {
        return new String(idBytes, idStarts[index], idStarts[index + 1] - idStarts[index], StandardCharsets.US_ASCII);
    }

    public RosterStatus status(int index) {
        return STATUSES[statuses[index]];
    }

    /** The row's line in the file. */
    public int line(int index) {
        return lines[index];
    }

    /** Since when the row's status holds, if the export says. */
    public Optional<Instant> effective(int index) {
        long seconds = effectiveSeconds[index];
        return seconds == NO_DATE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds));
    }

    /** Whether the row's status takes effect only after {@code asOf} (a future-dated termination, a future joiner). */
    public boolean isNotYetEffective(int index, Instant asOf) {
        long seconds = effectiveSeconds[index];
        return seconds != NO_DATE && seconds > asOf.getEpochSecond();
    }

    private static byte[] ascii(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            bytes[i] = (byte) c;
        }
        return bytes;
    }

    /**
     * Takes rows one by one, checks each value, and on {@link #build()} sorts them and rejects duplicate ids. Every
     * problem is a {@link RosterProblem} naming the line and the column.
     */
    public static final class Builder {

        private final RosterFormat format;
        private byte[] idBytes = new byte[16 * 1024];
        private int idBytesUsed;
        private int[] idStarts = new int[1024 + 1];
        private byte[] statuses = new byte[1024];
        private int[] lines = new int[1024];
        private long[] effectiveSeconds = new long[1024];
        private int size;

        private Builder(RosterFormat format) {
            this.format = format;
        }

        /**
         * Adds one row. {@code effectiveDate} is null when the export has no such column; blank means not given.
         * An effective date is an RFC 3339 date-time or a date ({@code 2026-01-31}, midnight UTC).
         */
        public Builder add(int line, String externalId, String status, String effectiveDate) {
            String id = externalId.strip();
            if (id.isEmpty()) {
                throw new RosterProblem(line, Optional.of(format.externalIdColumn()), "the external id is empty");
            }
            if (!EventFields.isValidSubject(id)) {
                throw new RosterProblem(line, Optional.of(format.externalIdColumn()), "invalid external id '"
                        + printable(id) + "': must be 1-256 characters of A-Z a-z 0-9 . _ @ : + -");
            }
            RosterStatus rosterStatus = format.status(status).orElseThrow(() -> new RosterProblem(line,
                    Optional.of(format.statusColumn()), "unknown status '" + printable(status.strip())
                            + "' (known: " + format.knownWords() + ")"));
            long effective = effectiveDate == null || effectiveDate.isBlank() ? NO_DATE
                    : effectiveSeconds(line, effectiveDate.strip());
            if (size == statuses.length) {
                grow();
            }
            if (idBytesUsed + id.length() > idBytes.length) {
                idBytes = Arrays.copyOf(idBytes, Math.max(idBytes.length * 2, idBytesUsed + id.length()));
            }
            for (int i = 0; i < id.length(); i++) {
                idBytes[idBytesUsed++] = (byte) id.charAt(i); // ASCII: checked by the subject rule above
            }
            idStarts[size + 1] = idBytesUsed;
            statuses[size] = (byte) rosterStatus.ordinal();
            lines[size] = line;
            effectiveSeconds[size] = effective;
            size++;
            return this;
        }

        private long effectiveSeconds(int line, String text) {
            Optional<Instant> time = EventFields.parseTime(text);
            if (time.isPresent()) {
                return time.get().getEpochSecond();
            }
            try {
                if (text.length() == 10) {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                }
            } catch (DateTimeException notADate) {
                // the message below says what is accepted
            }
            throw new RosterProblem(line, Optional.of(format.effectiveDateColumn()), "invalid date '" + printable(text)
                    + "': expected a date such as 2026-01-31 or an RFC 3339 date-time such as 2026-01-31T17:00:00Z");
        }

        private void grow() {
            int capacity = statuses.length * 2;
            idStarts = Arrays.copyOf(idStarts, capacity + 1);
            statuses = Arrays.copyOf(statuses, capacity);
            lines = Arrays.copyOf(lines, capacity);
            effectiveSeconds = Arrays.copyOf(effectiveSeconds, capacity);
        }

        /** Sorts the rows by external id; a duplicate id fails, naming the first repeated line in file order. */
        public Roster build() {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            sortByIdThenLine(order);
            int repeatedLine = Integer.MAX_VALUE;
            int firstLine = 0;
            int repeatedRow = -1;
            for (int i = 1; i < size; i++) {
                if (compareIds(order[i], order[i - 1]) == 0 && lines[order[i]] < repeatedLine) {
                    repeatedLine = lines[order[i]];
                    firstLine = lines[order[i - 1]];
                    repeatedRow = order[i];
                }
            }
            if (repeatedRow >= 0) {
                String repeatedId = new String(idBytes, idStarts[repeatedRow],
                        idStarts[repeatedRow + 1] - idStarts[repeatedRow], StandardCharsets.US_ASCII);
                throw new RosterProblem(repeatedLine, Optional.of(format.externalIdColumn()),
                        "duplicate external id '" + repeatedId + "' (first on line " + firstLine + ")");
            }
            byte[] sortedIdBytes = new byte[idBytesUsed];
            int[] sortedStarts = new int[size + 1];
            byte[] sortedStatuses = new byte[size];
            int[] sortedLines = new int[size];
            long[] sortedEffective = new long[size];
            int used = 0;
            for (int i = 0; i < size; i++) {
                int row = order[i];
                int length = idStarts[row + 1] - idStarts[row];
                System.arraycopy(idBytes, idStarts[row], sortedIdBytes, used, length);
                sortedStarts[i] = used;
                used += length;
                sortedStatuses[i] = statuses[row];
                sortedLines[i] = lines[row];
                sortedEffective[i] = effectiveSeconds[row];
            }
            sortedStarts[size] = used;
            // The builder is spent: let its arrays go before the caller drops it.
            idBytes = null;
            idStarts = null;
            statuses = null;
            lines = null;
            effectiveSeconds = null;
            return new Roster(sortedIdBytes, sortedStarts, sortedStatuses, sortedLines, sortedEffective);
        }

        private int compareIds(int a, int b) {
            return Arrays.compareUnsigned(idBytes, idStarts[a], idStarts[a + 1], idBytes, idStarts[b], idStarts[b + 1]);
        }

        /** A merge sort of row indexes (stable: equal ids stay in file order), without boxing 100 000 Integers. */
        private void sortByIdThenLine(int[] order) {
            int[] buffer = new int[order.length];
            for (int width = 1; width < order.length; width *= 2) {
                for (int low = 0; low < order.length - width; low += 2 * width) {
                    int middle = low + width;
                    int high = Math.min(low + 2 * width, order.length);
                    int left = low;
                    int right = middle;
                    int out = low;
                    while (left < middle && right < high) {
                        buffer[out++] = compareIds(order[left], order[right]) <= 0 ? order[left++] : order[right++];
                    }
                    while (left < middle) {
                        buffer[out++] = order[left++];
                    }
                    while (right < high) {
                        buffer[out++] = order[right++];
                    }
                    System.arraycopy(buffer, low, order, low, high - low);
                }
            }
        }
    }

    /** A value as it may appear in a message: control characters shown as '?', at most 64 characters. */
    static String printable(String value) {
        String clipped = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        StringBuilder out = new StringBuilder(clipped.length());
        clipped.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
