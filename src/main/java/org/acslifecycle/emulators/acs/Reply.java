package org.acslifecycle.emulators.acs;

import java.util.Map;

/** What goes back on the wire: status, headers and body bytes (empty for 204). */
record Reply(int status, Map<String, String> headers, byte[] body) {
    Reply {
        headers = Map.copyOf(headers);
    }
}
