package org.acslifecycle.emulators.acs;

import java.util.Map;

/**
 * A wire error on its way out: status, ACS error code, message, optional target and extra headers. Thrown inside
 * the request pipeline and turned into {@code {"error":{...}}} at the edge. Made only by {@link AcsErrors}.
 */
final class AcsFailure extends RuntimeException {

    private final int status;
    private final String code;
    private final String target;
    private final Map<String, String> headers;

    AcsFailure(int status, String code, String message, String target, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.target = target;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String target() {
        return target;
    }

    Map<String, String> headers() {
        return headers;
    }
}
