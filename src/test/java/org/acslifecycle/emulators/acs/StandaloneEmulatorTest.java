package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code acs-lifecycle emulators} in its own JVM: prints KEY=value lines a client can use, serves until stopped. */
class StandaloneEmulatorTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theEmulatorsCommandPrintsAConnectionStringAndCertificateThatWork() throws Exception {
        String key = java.util.Base64.getEncoder().encodeToString("standalone-test-key-0123456789ab".getBytes());
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.acslifecycle.app.Main", "emulators", "--acs-port=0", "--acs-access-key=" + key,
                // Not the default 5672: RabbitMQ may own it on this machine.
                "--servicebus-port=0"))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try {
            Map<String, String> printed = readKeys(process, "ACS_CONNECTION_STRING", "ACS_TRUSTED_CERTIFICATE_PEM",
                    "SERVICEBUS_CONNECTION_STRING");

            assertThat(printed.get("ACS_CONNECTION_STRING")).matches("endpoint=https://127\\.0\\.0\\.1:\\d+/;accesskey=.+")
                    .endsWith(key);
            assertThat(Path.of(printed.get("ACS_TRUSTED_CERTIFICATE_PEM"))).exists();
            assertThat(createUserWith(printed)).startsWith("8:acs:");
            assertThat(printed.get("SERVICEBUS_CONNECTION_STRING"))
                    .matches("Endpoint=sb://127\\.0\\.0\\.1:\\d+;.*UseDevelopmentEmulator=true;");
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> readKeys(Process process, String... keys) throws Exception {
        Map<String, String> found = new HashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (found.size() < keys.length && (line = out.readLine()) != null) {
            int eq = line.indexOf('=');
            if (eq > 0 && List.of(keys).contains(line.substring(0, eq))) {
                found.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(found).containsKeys(keys);
        return found;
    }

    private static String createUserWith(Map<String, String> printed) {
        return SdkClients.trusting(Path.of(printed.get("ACS_TRUSTED_CERTIFICATE_PEM")), printed.get("ACS_CONNECTION_STRING"))
                .createUser()
                .getId();
    }
}
