package org.acslifecycle.emulators.acs;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.acslifecycle.emulators.entra.EntraTokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a request the way ACS does (ACS note §7.2): the body hash in {@code x-ms-content-sha256}, the freshness of
 * {@code x-ms-date}, and the HMAC-SHA256 signature over {@code METHOD\npath?query\nvalues-of-signed-headers}.
 *
 * <p>Host caveat: the Java SDK signs {@code url.getHost()} (no port) and sends that as {@code Host}, but clients
 * whose HTTP stack owns the {@code Host} header (java.net.http) send {@code host:port} while having signed either
 * form. So the received Host is tried as is and, when it carries a port, without it.
 */
final class HmacAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(HmacAuthenticator.class);
    private static final Pattern HMAC = Pattern.compile(
            "^HMAC-SHA256\\s+SignedHeaders=([^&]+)&Signature=(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Set<String> REQUIRED_SIGNED = Set.of("host", "x-ms-content-sha256");

    /** The audience ACS accepts Entra ID tokens for (the SDK asks for {@code https://communication.azure.com//.default}). */
    static final String ENTRA_AUDIENCE = "https://communication.azure.com";

    private final AccessKeys keys;
    private final Duration maxSkew;
    private final AcsEmulatorConfig.BearerMode bearerMode;
    private final EntraTokenVerifier bearerVerifier;

    /** {@code bearerVerifier} is used in {@link AcsEmulatorConfig.BearerMode#VALIDATE} only; else {@code null}. */
    HmacAuthenticator(AccessKeys keys, Duration maxSkew, AcsEmulatorConfig.BearerMode bearerMode,
            EntraTokenVerifier bearerVerifier) {
        this.keys = keys;
        this.maxSkew = maxSkew;
        this.bearerMode = bearerMode;
        this.bearerVerifier = bearerVerifier;
    }

    /** Returns normally when the request may proceed; throws a 401 {@link AcsFailure} otherwise. */
    void authenticate(EmulatorRequest request) {
        String authorization = request.header("Authorization")
                .orElseThrow(() -> AcsErrors.denied("Authorization header is missing."));
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (bearerMode == AcsEmulatorConfig.BearerMode.ACCEPT_ANY && !authorization.substring(7).isBlank()) {
                return;
            }
            if (bearerMode == AcsEmulatorConfig.BearerMode.VALIDATE) {
                String reason = bearerVerifier.rejectionReason(authorization.substring(7), ENTRA_AUDIENCE);
                if (reason == null) {
                    return;
                }
                throw AcsErrors.bearerDenied(reason);
            }
            throw AcsErrors.denied();
        }
        Matcher m = HMAC.matcher(authorization.trim());
        if (!m.matches()) {
            throw AcsErrors.denied("Authorization header is not a valid HMAC-SHA256 header.");
        }
        List<String> signedHeaders = List.of(m.group(1).toLowerCase(Locale.ROOT).split(";"));
        byte[] presented = decodeSignature(m.group(2).trim());

        checkContentHash(request, signedHeaders);
        checkDate(request, signedHeaders);

        for (String host : hostCandidates(request)) {
            String stringToSign = stringToSign(request, signedHeaders, host);
            for (byte[] key : keys.verificationKeys()) {
                if (MessageDigest.isEqual(hmac(key, stringToSign), presented)) {
                    return;
                }
            }
        }
        // The string-to-sign holds no secret; logging it (never the key or signatures) makes mismatches debuggable.
        LOG.debug("HMAC signature mismatch; server string-to-sign was {}",
                stringToSign(request, signedHeaders, request.header("Host").orElse("")).replace("\n", "\\n"));
        throw AcsErrors.denied();
    }

    private static void checkContentHash(EmulatorRequest request, List<String> signedHeaders) {
        if (!signedHeaders.containsAll(REQUIRED_SIGNED)
                || !(signedHeaders.contains("x-ms-date") || signedHeaders.contains("date"))) {
            throw AcsErrors.denied("SignedHeaders must include x-ms-date, host and x-ms-content-sha256.");
        }
        String claimed = request.header("x-ms-content-sha256")
                .orElseThrow(() -> AcsErrors.denied("x-ms-content-sha256 header is missing."));
        String actual = Base64.getEncoder().encodeToString(sha256(request.body()));
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII),
                claimed.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw AcsErrors.contentHashMismatch();
        }
    }

    private void checkDate(EmulatorRequest request, List<String> signedHeaders) {
        String raw = signedHeaders.contains("x-ms-date")
                ? request.header("x-ms-date").orElse(null)
                : request.header("Date").orElse(null);
        if (raw == null) {
            throw AcsErrors.denied("x-ms-date header is missing.");
        }
        Instant date;
        try {
            date = ZonedDateTime.parse(raw.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw AcsErrors.denied("x-ms-date is not a valid RFC 1123 date.");
        }
        if (Duration.between(date, request.receivedAt()).abs().compareTo(maxSkew) > 0) {
            throw AcsErrors.denied("The request date is outside the allowed time window.");
        }
    }

    private static List<String> hostCandidates(EmulatorRequest request) {
        String host = request.header("Host").orElse("");
        List<String> candidates = new ArrayList<>(2);
        candidates.add(host);
        withoutPort(host).ifPresent(candidates::add);
        return candidates;
    }

    private static Optional<String> withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        int bracket = host.lastIndexOf(']');
        if (colon > bracket && colon > 0) {
            return Optional.of(host.substring(0, colon));
        }
        return Optional.empty();
    }

    private static String stringToSign(EmulatorRequest request, List<String> signedHeaders, String host) {
        List<String> values = new ArrayList<>(signedHeaders.size());
        for (String name : signedHeaders) {
            values.add(name.equals("host") ? host : request.header(name).orElse(""));
        }
        return request.method().toUpperCase(Locale.ROOT) + "\n" + request.pathAndQuery() + "\n"
                + String.join(";", values);
    }

    private static byte[] decodeSignature(String signature) {
        try {
            return Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw AcsErrors.denied("Signature is not valid base64.");
        }
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }
}
