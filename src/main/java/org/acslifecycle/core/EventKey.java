package org.acslifecycle.core;

import java.util.Objects;

/** The de-duplication key of an event: the publisher ({@code source}) and its event {@code id}. */
public record EventKey(String source, String id) {
    public EventKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return source + "#" + id;
    }
}
