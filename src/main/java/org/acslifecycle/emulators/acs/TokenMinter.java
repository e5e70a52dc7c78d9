package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Mints JWT-shaped ACS access tokens: RS256 over a throwaway RSA-2048 key made at start, the claims real tokens carry
 * (ACS note §8), plus {@code emulator} and {@code emuSeq} so nobody mistakes one for a real token and so the emulator
 * can tell tokens issued within the same second apart (revocation is decided by sequence, not by {@code iat}).
 */
final class TokenMinter {

    static final String EMULATOR_MARK = "acs-identity-emulator";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private final ObjectMapper json;
    private final UUID resourceId;
    private final KeyPair keyPair;
    private final String kid;
    private final String x5t;

    TokenMinter(ObjectMapper json, UUID resourceId) {
        this.json = json;
        this.resourceId = resourceId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keyPair = generator.generateKeyPair();
            byte[] thumbprint = MessageDigest.getInstance("SHA-1").digest(keyPair.getPublic().getEncoded());
            this.kid = "EMULATOR-" + HexFormat.of().withUpperCase().formatHex(thumbprint);
            this.x5t = B64URL.encodeToString(thumbprint);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA and SHA-1 are required by every JDK", e);
        }
    }

    String mint(String identityId, List<String> scopes, Instant issuedAt, Instant expiresOn, long sequence) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("kid", kid);
        header.put("x5t", x5t);
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("skypeid", identityId.startsWith("8:") ? identityId.substring(2) : identityId);
        claims.put("scp", 1792);
        claims.put("csi", Long.toString(issuedAt.getEpochSecond()));
        claims.put("exp", expiresOn.getEpochSecond());
        claims.put("rgn", "amer");
        claims.put("acsScope", String.join(",", scopes));
        claims.put("resourceId", resourceId.toString());
        claims.put("resourceLocation", "unitedstates");
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("emulator", EMULATOR_MARK);
        claims.put("emuSeq", sequence);
        String payload = B64URL.encodeToString(bytes(claims));
        String signingInput = B64URL.encodeToString(bytes(header)) + "." + payload;
        // CommunicationTokenCredential decodes the payload with the standard (not URL-safe) decoder. ASCII JSON only
        // maps to '-' or '_' for '>', '?', '~' at certain offsets, which our claims never contain.
        if (payload.indexOf('-') >= 0 || payload.indexOf('_') >= 0) {
            throw new IllegalStateException("token payload is not base64-standard safe; adjust the claims");
        }
        return signingInput + "." + B64URL.encodeToString(sign(signingInput));
    }

    /** The verified claims, or the reason the token is not one of ours. */
    Verified verify(String token) {
        String[] parts = token == null ? new String[0] : token.trim().split("\\.");
        if (parts.length != 3) {
            return new Verified(TokenStatus.MALFORMED, Optional.empty());
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keyPair.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(B64URL_DECODER.decode(parts[2]))) {
                return new Verified(TokenStatus.BAD_SIGNATURE, Optional.empty());
            }
            JsonNode claims = json.readTree(B64URL_DECODER.decode(parts[1]));
            if (!EMULATOR_MARK.equals(claims.path("emulator").asText()) || !claims.has("emuSeq")) {
                return new Verified(TokenStatus.MALFORMED, Optional.empty());
            }
            return new Verified(TokenStatus.VALID, Optional.of(claims));
        } catch (IllegalArgumentException | IOException e) {
            return new Verified(TokenStatus.MALFORMED, Optional.empty());
        } catch (GeneralSecurityException e) {
            return new Verified(TokenStatus.BAD_SIGNATURE, Optional.empty());
        }
    }

    record Verified(TokenStatus status, Optional<JsonNode> claims) {
    }

    private byte[] bytes(Map<String, Object> value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise token part", e);
        }
    }

    private byte[] sign(String signingInput) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keyPair.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is required by every JDK", e);
        }
    }
}
