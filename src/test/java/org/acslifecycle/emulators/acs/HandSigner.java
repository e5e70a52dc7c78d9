package org.acslifecycle.emulators.acs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Signs ACS requests by hand from the published algorithm (ACS note §7.1), with java.net.http and no Azure SDK, to
 * show the emulator is not tuned to one client. java.net.http sends {@code Host: 127.0.0.1:PORT} itself. Public for
 * the reliability drills' tampering drill.
 */
public final class HandSigner {

    public static final DateTimeFormatter HMAC_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final AcsIdentityEmulator acs;
    private final HttpClient http;

    public HandSigner(AcsIdentityEmulator acs) {
        this.acs = acs;
        this.http = HttpClient.newBuilder().sslContext(trusting(acs)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A correctly signed request's headers, for the host form the signature should cover. */
    public Map<String, String> sign(String method, String pathAndQuery, byte[] body, Instant date, String signedHost) {
        return sign(method, pathAndQuery, body, date, signedHost, acs.accessKey());
    }

    /** The same, signed with {@code accessKey} (base64), which need not be the emulator's. */
    public Map<String, String> sign(String method, String pathAndQuery, byte[] body, Instant date, String signedHost,
            String accessKey) {
        String contentHash = Base64.getEncoder().encodeToString(sha256(body));
        String xmsDate = HMAC_DATE.format(date);
        String stringToSign = method + "\n" + pathAndQuery + "\n" + xmsDate + ";" + signedHost + ";" + contentHash;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ms-date", xmsDate);
        headers.put("x-ms-content-sha256", contentHash);
        headers.put("Authorization", "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature="
                + hmac(accessKey, stringToSign));
        return headers;
    }

    /** Host as java.net.http sends it: with the port. */
    public String wireHost() {
        return "127.0.0.1:" + acs.port();
    }

    public HttpResponse<String> send(String method, String pathAndQuery, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + acs.port()
                + pathAndQuery)).method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> signedSend(String method, String pathAndQuery, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(method, pathAndQuery, bytes, sign(method, pathAndQuery, bytes, Instant.now(), wireHost()));
    }

    /** Unsigned (admin endpoints). */
    HttpResponse<String> admin(String method, String path, String body) {
        return send(method, path, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static SSLContext trusting(AcsIdentityEmulator acs) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("acs-emulator", SdkClients.certificate(acs));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String base64Key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
