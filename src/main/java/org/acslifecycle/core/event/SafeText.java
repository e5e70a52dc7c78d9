package org.acslifecycle.core.event;

/**
 * Quotes untrusted values for rejection descriptions, which end up in dead-letter properties and logs:
 * short (a prefix of at most {@value #MAX_QUOTED} code points) and printable (control, format, separator,
 * private-use, unassigned and lone-surrogate characters escaped as {@code \\uXXXX}), so a description can
 * neither carry the payload nor forge a log line.
 */
final class SafeText {

    static final int MAX_QUOTED = 64;

    private SafeText() {
    }

    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(MAX_QUOTED + 16).append('"');
        int index = 0;
        int shown = 0;
        while (index < value.length() && shown < MAX_QUOTED) {
            int codePoint = value.codePointAt(index);
            appendEscaped(quoted, codePoint);
            index += Character.charCount(codePoint);
            shown++;
        }
        quoted.append('"');
        if (index < value.length()) {
            quoted.append("… (").append(value.length()).append(" chars)");
        }
        return quoted.toString();
    }

    private static void appendEscaped(StringBuilder out, int codePoint) {
        if (codePoint == '"' || codePoint == '\\') {
            out.append('\\').appendCodePoint(codePoint);
        } else if (isPrintable(codePoint)) {
            out.appendCodePoint(codePoint);
        } else {
            for (char unit : Character.toChars(codePoint)) {
                out.append(String.format("\\u%04X", (int) unit));
            }
        }
    }

    private static boolean isPrintable(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
