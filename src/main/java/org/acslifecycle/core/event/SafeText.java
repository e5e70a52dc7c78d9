package org.acslifecycle.core.event;

/**
 * Quotes untrusted values for rejection descriptions, which end up in dead-letter properties and logs:
 * short (at most {@value #MAX_QUOTED} characters between the quotes, counted after escaping, so a value of
 * control characters cannot grow the description) and printable (control, format, separator, private-use,
 * unassigned and lone-surrogate characters escaped as {@code \\uXXXX}), so a description can neither carry
 * the payload nor forge a log line.
 */
final class SafeText {

    static final int MAX_QUOTED = 64;

    private SafeText() {
    }

    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(MAX_QUOTED + 32).append('"');
        StringBuilder escaped = new StringBuilder(12);
        int index = 0;
        while (index < value.length()) {
            int codePoint = value.codePointAt(index);
            escaped.setLength(0);
            appendEscaped(escaped, codePoint);
            if (quoted.length() - 1 + escaped.length() > MAX_QUOTED) {
                break;
            }
            quoted.append(escaped);
            index += Character.charCount(codePoint);
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
