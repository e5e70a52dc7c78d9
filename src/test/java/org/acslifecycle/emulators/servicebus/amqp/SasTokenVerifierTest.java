package org.acslifecycle.emulators.servicebus.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SasTokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");
    private final SasTokenVerifier verifier = new SasTokenVerifier("RootManageSharedAccessKey", "secret-key");

    private static String token(String keyName, String key, String sr, long se) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((sr + "\n" + se).getBytes(StandardCharsets.UTF_8)));
        return "SharedAccessSignature sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&se=" + se + "&skn=" + keyName;
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
