package org.acslifecycle.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secrets drill's search finds what it looks for, so its "0 occurrences" means something. */
class KnownSecretsTest {

    @TempDir
    Path logs;

    @Test
    void aSecretInAWorkersOutputIsCountedAndOneInItsConfigurationIsNot() throws Exception {
        KnownSecrets secrets = new KnownSecrets();
        secrets.add("ACS HMAC access key", "c2VjcmV0LWtleS1ieXRlcw==");
        secrets.add("too short to tell from chance", "abc");
        secrets.addLogDirectory(logs);
        Files.writeString(logs.resolve("worker-0.err"), "key=c2VjcmV0LWtleS1ieXRlcw== and again c2VjcmV0LWtleS1ieXRlcw==\n");
        Files.writeString(logs.resolve("worker.properties"), "acs.access-key=c2VjcmV0LWtleS1ieXRlcw==\n");

        assertThat(secrets.size()).isEqualTo(1);
        assertThat(secrets.scan()).containsExactly(
                new KnownSecrets.Occurrence(logs.resolve("worker-0.err"), "ACS HMAC access key", 2));
        assertThat(secrets.filesScanned()).isEqualTo(1);
    }
}
