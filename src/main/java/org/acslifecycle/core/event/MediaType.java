package org.acslifecycle.core.event;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of RFC 9110 media types to tell the CloudEvents modes apart and to insist on UTF-8:
 * the essence ({@code type/subtype}, lower-cased) and the {@code charset} parameter.
 */
record MediaType(String essence, Optional<String> charset) {

    /** Real content types are short; a long one is garbage and is not worth parsing. */
    static final int MAX_LENGTH = 256;

    static final String CLOUDEVENTS_JSON = "application/cloudevents+json";

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern ESSENCE = Pattern.compile("\\s*(" + TOKEN + "/" + TOKEN + ")\\s*");
    private static final Pattern PARAMETER =
            Pattern.compile("\\s*(" + TOKEN + ")=(" + TOKEN + "|\"[^\"\\\\]*\")\\s*");

    static Optional<MediaType> parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = text.split(";", -1);
        Matcher essence = ESSENCE.matcher(parts[0]);
        if (!essence.matches()) {
            return Optional.empty();
        }
        Optional<String> charset = Optional.empty();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue; // RFC 9110 allows empty parameters, e.g. a trailing semicolon
            }
            Matcher parameter = PARAMETER.matcher(parts[i]);
            if (!parameter.matches()) {
                return Optional.empty();
            }
            if (parameter.group(1).equalsIgnoreCase("charset")) {
                charset = Optional.of(unquote(parameter.group(2)).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.of(new MediaType(essence.group(1).toLowerCase(Locale.ROOT), charset));
    }

    private static String unquote(String value) {
        return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    boolean isStructuredCloudEvent() {
        return essence.equals(CLOUDEVENTS_JSON);
    }

    /** Other CloudEvents formats and batch mode ({@code application/cloudevents-batch+json}) we do not read. */
    boolean isOtherCloudEventsFormat() {
        return essence.startsWith("application/cloudevents") && !isStructuredCloudEvent();
    }

    /** {@code application/json} or any {@code +json} structured-syntax suffix. */
    boolean isJson() {
        return essence.equals("application/json") || essence.endsWith("+json");
    }

    /** Our bodies are read as UTF-8 only; an explicit other charset means the publisher encoded otherwise. */
    boolean allowsUtf8() {
        return charset.map(name -> name.equals("utf-8") || name.equals("utf8")).orElse(true);
    }
}
