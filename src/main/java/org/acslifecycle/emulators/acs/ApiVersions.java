package org.acslifecycle.emulators.acs;

import java.util.List;

/**
 * The api-versions the service accepts (ACS note §2): those it advertised in 2022 plus the later stable and
 * preview ones. Which features a version has decides validation (expiry field, join scopes).
 */
final class ApiVersions {

    static final List<String> SUPPORTED = List.of(
            "2020-07-20-preview2", "2021-02-22-preview1", "2021-03-07", "2021-10-31-preview", "2021-11-01",
            "2022-06-01", "2022-10-01", "2023-08-01", "2023-10-01", "2025-03-02-preview", "2025-06-30");

    /** Value of the {@code api-supported-versions} header the service sends. */
    static final String HEADER_VALUE = String.join(", ", SUPPORTED);

    private ApiVersions() {
    }

    static boolean supported(String version) {
        return SUPPORTED.contains(version);
    }

    /** {@code expiresInMinutes} exists in the request models from 2022-10-01; older versions ignore it. */
    static boolean hasCustomExpiry(String version) {
        return version.compareTo("2022-10-01") >= 0;
    }

    /** {@code chat.join}, {@code chat.join.limited}, {@code voip.join} exist from 2023-10-01 (dates sort as text). */
    static boolean hasJoinScopes(String version) {
        return version.compareTo("2023-10-01") >= 0;
    }
}
