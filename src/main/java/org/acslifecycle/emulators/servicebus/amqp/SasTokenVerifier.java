package org.acslifecycle.emulators.servicebus.amqp;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code SharedAccessSignature sr=..&sig=..&se=..&skn=..} tokens against the namespace key:
 * {@code sig = base64(HMAC-SHA256(key as UTF-8, sr + "\n" + se))}. The Java SDK signs the URL-encoded
 * {@code sr} as it appears in the token, the JS SDK a raw one; both spellings are tried.
 * Never logs or returns key material.
 */
final class SasTokenVerifier {
    private final String keyName;
    private final byte[] key;

    SasTokenVerifier(String keyName, String key) {
        this.keyName = keyName;
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Null if the token is valid at {@code now}, otherwise why it is not (safe to show to the client). */
    String rejectionReason(String token, Instant now) {
        if (token == null || !token.startsWith("SharedAccessSignature ")) {
            return "The token is not a SharedAccessSignature.";
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : token.substring("SharedAccessSignature ".length()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
        }
        String sr = fields.get("sr");
        String sig = fields.get("sig");
        String se = fields.get("se");
        String skn = fields.get("skn");
        if (sr == null || sig == null || se == null || skn == null) {
            return "The SharedAccessSignature is missing sr, sig, se or skn.";
        }
        if (!keyName.equals(skn)) {
            return "The SharedAccessKeyName is not known to this namespace.";
        }
        long expiry;
        try {
            expiry = Long.parseLong(se);
        } catch (NumberFormatException e) {
            return "The token expiry (se) is not a number.";
        }
        if (expiry <= now.getEpochSecond()) {
            return "The token has expired.";
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(URLDecoder.decode(sig, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return "The token signature is malformed.";
        }
        String decodedSr = URLDecoder.decode(sr, StandardCharsets.UTF_8);
        String encodedSr = URLEncoder.encode(decodedSr, StandardCharsets.UTF_8);
        for (String resource : new String[] {sr, decodedSr, encodedSr}) {
            if (MessageDigest.isEqual(presented, sign(resource + "\n" + se))) {
                return null;
            }
        }
        return "The token signature does not match the namespace key.";
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
