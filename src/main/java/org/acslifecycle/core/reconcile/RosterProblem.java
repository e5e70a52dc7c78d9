package org.acslifecycle.core.reconcile;

import java.util.Optional;

/**
 * The roster cannot be used: a line, and where known a column, says what is wrong. Nothing is compared and
 * nothing published while the roster has one.
 *
 * @see Roster.Builder
 */
public final class RosterProblem extends RuntimeException {

    private final long line;
    private final Optional<String> column;

    public RosterProblem(long line, Optional<String> column, String problem) {
        super("line " + line + column.map(c -> ", column '" + c + "'").orElse("") + ": " + problem);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the file (the header is line 1). */
    public long line() {
        return line;
    }

    public Optional<String> column() {
        return column;
    }
}
