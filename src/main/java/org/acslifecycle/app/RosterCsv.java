package org.acslifecycle.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.core.reconcile.Roster;
import org.acslifecycle.core.reconcile.RosterFormat;
import org.acslifecycle.core.reconcile.RosterProblem;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads an HR roster export (CSV, UTF-8, a header line, RFC 4180 quoting; a byte-order mark is skipped) into a
 * {@link Roster}, one record at a time: the file is never held in memory, only the roster's compact arrays. Any
 * problem is a {@link RosterProblem} naming the line and, where there is one, the column.
 */
final class RosterCsv {

    /** The file cannot be opened or read at all (as opposed to a file whose content is wrong). */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final CSVFormat CSV = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .setTrim(true)
            .get();

    private RosterCsv() {}

    static Roster read(Path file, RosterFormat format) {
        BufferedReader reader;
        try {
            // A strict UTF-8 decoder: a byte that is not UTF-8 fails instead of becoming U+FFFD in an id.
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Unreadable("cannot read the roster " + file + ": " + describe(e), e);
        }
        CSVParser parser = null;
        try (reader) {
            skipByteOrderMark(reader);
            try {
                parser = CSV.parse(reader);
            } catch (IllegalArgumentException | UncheckedIOException badHeader) {
                throw new RosterProblem(1, Optional.empty(), "bad header: " + message(badHeader));
            }
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || header.isEmpty()) {
                throw new RosterProblem(1, Optional.empty(), "the file is empty; expected a header naming the columns "
                        + format.externalIdColumn() + " and " + format.statusColumn());
            }
            Integer idColumn = required(header, format.externalIdColumn());
            Integer statusColumn = required(header, format.statusColumn());
            Integer dateColumn = header.get(format.effectiveDateColumn());
            Roster.Builder roster = Roster.builder(format);
            Iterator<CSVRecord> records = parser.iterator();
            long lastLine = 1;
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException notCsv) {
                    // The bad record starts after the last good one (the parser's own count has run to the end).
                    if (notCsv.getCause() instanceof CharacterCodingException) {
                        throw new RosterProblem(lastLine + 1, Optional.empty(),
                                "not UTF-8 text (" + notCsv.getCause().getClass().getSimpleName() + ")");
                    }
                    throw new RosterProblem(lastLine + 1, Optional.empty(), "not valid CSV: "
                            + message(notCsv).replaceFirst("^\\(startline [0-9]+\\) ", ""));
                }
                int line = (int) parser.getCurrentLineNumber();
                lastLine = line;
                if (record.size() != header.size()) {
                    throw new RosterProblem(line, Optional.empty(), "has " + record.size() + " field(s), the header "
                            + header.size());
                }
                roster.add(line, record.get(idColumn), record.get(statusColumn),
                        dateColumn == null ? null : record.get(dateColumn));
            }
            return roster.build();
        } catch (IOException e) {
            long line = parser == null ? 1 : parser.getCurrentLineNumber() + 1;
            if (e instanceof CharacterCodingException) {
                throw new RosterProblem(line, Optional.empty(), "not UTF-8 text (" + e.getClass().getSimpleName() + ")");
            }
            throw new Unreadable("cannot read the roster " + file + ": " + describe(e), e);
        }
    }

    private static Integer required(Map<String, Integer> header, String column) {
        Integer index = header.get(column);
        if (index == null) {
            throw new RosterProblem(1, Optional.of(column), "missing column (the header has: "
                    + String.join(", ", List.copyOf(header.keySet())) + ")");
        }
        return index;
    }

    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    private static String message(RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return String.valueOf(cause.getMessage());
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }
}
