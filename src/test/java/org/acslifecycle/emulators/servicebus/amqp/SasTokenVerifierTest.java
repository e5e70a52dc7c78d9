package org.acslifecycle.emulators.servicebus.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.acslifecycle.emulators.servicebus.SasTokens;
import org.junit.jupiter.api.Test;

class SasTokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");
    private final SasTokenVerifier verifier = new SasTokenVerifier("RootManageSharedAccessKey", "secret-key");

    private static String token(String keyName, String key, String sr, long se) {
        return SasTokens.token(keyName, key, sr, se);
    }

    private static final String ENCODED_SR = URLEncoder.encode("amqp://127.0.0.1/q", StandardCharsets.UTF_8);

    @Test
    void tokenSignedWithTheKeyOverTheEncodedResourceIsValid() throws Exception {
        String javaStyle = token("RootManageSharedAccessKey", "secret-key", ENCODED_SR, NOW.getEpochSecond() + 600);

        assertThat(verifier.rejectionReason(javaStyle, NOW)).isNull();
    }

    @Test
    void tokenSignedOverTheRawResourceIsValidToo() throws Exception {
        String jsStyle = token("RootManageSharedAccessKey", "secret-key", "sb://127.0.0.1/q", NOW.getEpochSecond() + 600);

        assertThat(verifier.rejectionReason(jsStyle, NOW)).isNull();
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejectedWithoutRevealingTheKey() throws Exception {
        String reason = verifier.rejectionReason(
                token("RootManageSharedAccessKey", "other-key", ENCODED_SR, NOW.getEpochSecond() + 600), NOW);

        assertThat(reason).contains("signature").doesNotContain("secret-key").doesNotContain("other-key");
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        assertThat(verifier.rejectionReason(
                token("RootManageSharedAccessKey", "secret-key", ENCODED_SR, NOW.getEpochSecond() - 1), NOW)).contains("expired");
    }

    @Test
    void unknownKeyNameIsRejected() throws Exception {
        assertThat(verifier.rejectionReason(token("Other", "secret-key", ENCODED_SR, NOW.getEpochSecond() + 600), NOW))
                .contains("SharedAccessKeyName");
    }

    @Test
    void somethingThatIsNotASasTokenIsRejected() {
        assertThat(verifier.rejectionReason("Bearer eyJ0eXAi", NOW)).isNotNull();
        assertThat(verifier.rejectionReason(null, NOW)).isNotNull();
    }
}
