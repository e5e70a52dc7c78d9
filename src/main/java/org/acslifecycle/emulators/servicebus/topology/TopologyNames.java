package org.acslifecycle.emulators.servicebus.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Entity name rules of the official emulator's Config-schema.json. */
final class TopologyNames {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9]$|^[A-Za-z0-9][\\w\\-./]*[A-Za-z0-9]$");

    private TopologyNames() {
    }

    static void requireValid(String name, String kind) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid " + kind + " name: '" + name + "'");
        }
    }

    static void requireUnique(List<String> names, String kind) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Duplicate " + kind + " name: '" + name + "'");
            }
        }
    }
}
