package org.acslifecycle.emulators.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An emulator's TLS identity: a self-signed certificate for 127.0.0.1 and localhost made at start (the JDK has no
 * public API to make one, hence Bouncy Castle), or a given one. The certificate is written out as PEM so that clients
 * can trust exactly it; the private key never leaves memory. Shared by the ACS and Entra ID emulators.
 */
public final class TlsMaterial {

    private static final char[] IN_MEMORY_PASSWORD = "in-memory-only".toCharArray();

    private final SSLContext sslContext;
    private final Path certificatePem;
    private final boolean ownsPemFile;

    private TlsMaterial(SSLContext sslContext, Path certificatePem, boolean ownsPemFile) {
        this.sslContext = sslContext;
        this.certificatePem = certificatePem;
        this.ownsPemFile = ownsPemFile;
    }

    /**
     * A generated certificate (when {@code certificatePem} is {@code null}: written to {@code pemOut}, or to a
     * temporary file when that is {@code null} too), or the given certificate and private key, both PEM.
     *
     * @param commonName the generated certificate's subject, e.g. {@code "ACS Identity Emulator"}
     */
    public static TlsMaterial create(Path pemOut, Path certificatePem, Path privateKeyPem, String commonName,
            Clock clock) {
        try {
            if (certificatePem == null) {
                KeyPair keyPair = ecKeyPair();
                X509Certificate certificate = selfSigned(keyPair, commonName, clock.instant());
                boolean temporary = pemOut == null;
                Path pem = temporary ? Files.createTempFile("emulator-", ".pem") : pemOut;
                try (Writer out = Files.newBufferedWriter(pem, StandardCharsets.US_ASCII);
                        JcaPEMWriter writer = new JcaPEMWriter(out)) {
                    writer.writeObject(certificate);
                }
                return new TlsMaterial(sslContext(keyPair.getPrivate(), certificate), pem, temporary);
            }
            X509Certificate certificate = readCertificate(certificatePem);
            PrivateKey key = readPrivateKey(privateKeyPem);
            return new TlsMaterial(sslContext(key, certificate), certificatePem, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the emulator's TLS certificate", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot prepare the emulator's TLS certificate", e);
        }
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    public Path certificatePem() {
        return certificatePem;
    }

    public void close() {
        if (ownsPemFile) {
            try {
                Files.deleteIfExists(certificatePem);
            } catch (IOException ignored) {
                // A leftover temp file holding a public certificate harms nobody.
            }
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keyPair, String commonName, Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=" + commonName + " (localhost)");
        BigInteger serial = new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name,
                keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509CertificateHolder holder = builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static SSLContext sslContext(PrivateKey key, X509Certificate certificate)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("emulator", key, IN_MEMORY_PASSWORD, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, IN_MEMORY_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    private static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (Reader in = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader in = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("no unencrypted private key in " + pem);
        }
    }
}
