package org.acslifecycle.emulators.entra;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Checks an Entra ID access token the way a resource does: an RS256 JWS signed by a key the trusted issuer
 * publishes in its JWKS (fetched over HTTPS when first needed, again when a token names an unknown key id), the
 * issuer, the resource's audience, and the validity window ({@code nbf} ≤ now &lt; {@code exp}, no leeway). Used by
 * the ACS emulator (bearer tokens) and the Service Bus emulator (CBS {@code jwt} tokens). Never logs or returns the
 * token.
 */
public final class EntraTokenVerifier {

    private final TrustedIssuer trusted;
    private final Clock clock;
    private final HttpClient http;
    private volatile JWKSet keys;

    public EntraTokenVerifier(TrustedIssuer trusted, Clock clock) {
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.clock = Objects.requireNonNull(clock, "clock");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (trusted.trustedCertificatePem() != null) {
            builder.sslContext(trusting(trusted));
        }
        this.http = builder.build();
    }

    /** {@code null} when {@code token} is valid for {@code audience} now, else why not (safe to show a client). */
    public String rejectionReason(String token, String audience) {
        return rejectionReason(token, audience, clock.instant());
    }

    /** The same at {@code now} (a caller that reads "now" once per request). */
    public String rejectionReason(String token, String audience, Instant now) {
        if (token == null || token.isBlank()) {
            return "The bearer token is empty.";
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return "The bearer token is not a signed JWT.";
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return "The bearer token is not signed with RS256.";
        }
        JWK key;
        try {
            key = key(jwt.getHeader().getKeyID());
        } catch (RuntimeException e) {
            // The issuer is down or answers nonsense: no token can be checked, so none is accepted.
            return "The issuer's signing keys cannot be fetched.";
        }
        if (!(key instanceof RSAKey rsa)) {
            return "The bearer token is signed with a key the issuer does not publish.";
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(rsa))) {
                return "The bearer token's signature is invalid.";
            }
        } catch (JOSEException e) {
            return "The bearer token's signature cannot be checked.";
        }
        if (!trusted.issuer().equals(claims.getIssuer())) {
            return "The bearer token's issuer is not trusted.";
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            return "The bearer token's audience is not " + audience + ".";
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant())) {
            return "The bearer token has expired.";
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant())) {
            return "The bearer token is not valid yet.";
        }
        return null;
    }

    /** Fetches the issuer's JWKS now (else it is fetched when a token first needs it). */
    public void refreshKeys() {
        keys = fetch();
    }

    private JWK key(String keyId) {
        if (keyId == null) {
            return null;
        }
        JWKSet known = keys;
        if (known == null || known.getKeyByKeyId(keyId) == null) {
            known = fetch();
            keys = known;
        }
        return known.getKeyByKeyId(keyId);
    }

    private JWKSet fetch() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(trusted.jwksUri())
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the issuer's JWKS answered " + response.statusCode());
            }
            return JWKSet.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the issuer's JWKS from " + trusted.jwksUri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted fetching the issuer's JWKS", e);
        } catch (ParseException e) {
            throw new IllegalStateException("the issuer's JWKS is not a JWK set", e);
        }
    }

    private static SSLContext trusting(TrustedIssuer trusted) {
        try (InputStream in = Files.newInputStream(trusted.trustedCertificatePem())) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("issuer", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + trusted.trustedCertificatePem(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(trusted.trustedCertificatePem() + " holds no usable certificate", e);
        }
    }
}
