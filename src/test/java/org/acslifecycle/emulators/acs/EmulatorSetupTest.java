package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, configuring and stopping the emulator. */
class EmulatorSetupTest {

    @Test
    void theConnectionStringNamesTheHttpsEndpointOnLoopbackAndTheKey() {
        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults())) {
            assertThat(acs.connectionString())
                    .isEqualTo("endpoint=https://127.0.0.1:" + acs.port() + "/;accesskey=" + acs.accessKey());
            assertThat(acs.port()).isPositive();
            assertThat(acs.certificatePem()).exists();
        }
    }

    @Test
    void theGeneratedCertificateCoversLoopbackAndLocalhostAndIsRemovedOnStop() throws Exception {
        Path pem;
        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults())) {
            pem = acs.certificatePem();
            X509Certificate certificate = SdkClients.certificate(acs);
            assertThat(certificate.getSubjectAlternativeNames())
                    .extracting(entry -> (Object) entry.get(1))
                    .containsExactlyInAnyOrder((Object) "127.0.0.1", "localhost");
            assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        }
        assertThat(pem).doesNotExist();
    }

    @Test
    void aGivenCertificateAndKeyAreServedInsteadOfAGeneratedOne(@TempDir Path dir) throws Exception {
        Path certificatePem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        writeSelfSigned(certificatePem, keyPem);

        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults()
                .withTls(AcsEmulatorConfig.TlsSource.given(certificatePem, keyPem)))) {
            assertThat(acs.certificatePem()).isEqualTo(certificatePem);
            assertThat(SdkClients.forEmulator(acs).createUser().getId()).startsWith("8:acs:");
        }
        assertThat(certificatePem).exists();
    }

    @Test
    void aConfiguredAccessKeyIsUsedAndNeverShownByToString() {
        String key = java.util.Base64.getEncoder().encodeToString("a-fixed-test-key-of-32-bytes-...".getBytes());
        AcsEmulatorConfig config = AcsEmulatorConfig.defaults().withAccessKey(key);

        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(config)) {
            assertThat(acs.accessKey()).isEqualTo(key);
            assertThat(SdkClients.forEmulator(acs).createUser().getId()).startsWith("8:acs:");
        }
        assertThat(config.toString()).doesNotContain(key);
    }

    @Test
    void invalidConfigurationIsRefusedWithoutEchoingTheKey() {
        assertThatThrownBy(() -> AcsEmulatorConfig.defaults().withAccessKey("not base64 secret!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> AcsEmulatorConfig.defaults().withQuotaWindowFactor(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.none().withErrorShares(0.6, 0.6, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencyIsFixedOrDrawnUniformlyFromTheRange() {
        Faults faults = new Faults(FaultPlan.none().withLatency(Duration.ofMillis(100)), null,
                java.time.Clock.systemUTC(), new Random(7));
        assertThat(faults.latency()).isEqualTo(Duration.ofMillis(100));

        faults.setPlan(FaultPlan.none().withLatency(Duration.ofMillis(100), Duration.ofMillis(300)));
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration latency = faults.latency();
            assertThat(latency).isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
            seen.add(latency);
        }
        assertThat(seen).hasSizeGreaterThan(50);
    }

    private static void writeSelfSigned(Path certificatePem, Path keyPem) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=given test certificate");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(3600)), name, keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        try (Writer out = Files.newBufferedWriter(certificatePem); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        }
        try (Writer out = Files.newBufferedWriter(keyPem); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(keyPair.getPrivate());
        }
    }
}
