package org.acslifecycle.emulators.entra;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a resource (the ACS or Service Bus emulator) needs to trust an Entra ID issuer, as a real resource trusts
 * {@code login.microsoftonline.com}: the {@code iss} its tokens carry and where its signing keys are published.
 *
 * @param issuer the exact {@code iss} claim, {@code https://host/{tenant}/v2.0}
 * @param jwksUri the issuer's JWKS
 * @param trustedCertificatePem the one TLS certificate to trust when fetching the JWKS, or {@code null} for the
 *     JDK's trust store
 */
public record TrustedIssuer(String issuer, URI jwksUri, Path trustedCertificatePem) {
    public TrustedIssuer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwksUri, "jwksUri");
        if (!"https".equalsIgnoreCase(jwksUri.getScheme())) {
            throw new IllegalArgumentException("jwksUri must be https, was " + jwksUri);
        }
    }
}
