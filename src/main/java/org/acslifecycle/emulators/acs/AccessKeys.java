package org.acslifecycle.emulators.acs;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The resource's HMAC access key. "Wrong-key mode" rotates it to a fresh random key, so every client still
 * holding the published one is refused with 401 until {@link #restore()} puts the published key back.
 */
final class AccessKeys {

    private final String published;
    private final SecureRandom random;
    private volatile byte[] current;

    AccessKeys(String published, SecureRandom random) {
        this.published = published;
        this.random = random;
        this.current = Base64.getDecoder().decode(published);
    }

    static String randomKey(SecureRandom random) {
        byte[] key = new byte[64];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static void requireValidKey(String accessKey) {
        try {
            if (Base64.getDecoder().decode(accessKey).length < 16) {
                throw new IllegalArgumentException("accessKey must decode to at least 16 bytes");
            }
        } catch (IllegalArgumentException e) {
            // Deliberately no echo of the value: it is a secret.
            throw new IllegalArgumentException("accessKey must be standard base64 of at least 16 bytes");
        }
    }

    /** The key clients were given (in the connection string), whatever mode is on. */
    String published() {
        return published;
    }

    /** Keys a signature is checked against right now. */
    List<byte[]> verificationKeys() {
        return List.of(current);
    }

    void rotate() {
        current = Base64.getDecoder().decode(randomKey(random));
    }

    void restore() {
        current = Base64.getDecoder().decode(published);
    }

    boolean rotated() {
        return !MessageDigest.isEqual(current, Base64.getDecoder().decode(published));
    }
}
