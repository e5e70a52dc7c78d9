package org.acslifecycle.emulators.servicebus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Service Bus shared access signatures signed by hand from the published scheme: {@code sig = base64(HMAC-SHA256(key
 * as UTF-8, sr + "\n" + se))}. For the emulator's tests and the drills' tampering drill.
 */
public final class SasTokens {

    private SasTokens() {}

    /** {@code SharedAccessSignature sr=..&sig=..&se=..&skn=..} over {@code sr} exactly as given (encode it first). */
    public static String token(String keyName, String key, String sr, long expiresEpochSecond) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String sig = Base64.getEncoder().encodeToString(
                    mac.doFinal((sr + "\n" + expiresEpochSecond).getBytes(StandardCharsets.UTF_8)));
            return "SharedAccessSignature sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                    + "&se=" + expiresEpochSecond + "&skn=" + keyName;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
