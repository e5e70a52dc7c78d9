package org.acslifecycle.emulators.acs;

import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

/** The real SDK client, SDK retries off, trusting exactly the emulator's certificate (as the conformance tests need). */
final class SdkClients {

    private SdkClients() {
    }

    static CommunicationIdentityClient forEmulator(AcsIdentityEmulator acs) {
        return forEmulator(acs, acs.connectionString());
    }

    static CommunicationIdentityClient forEmulator(AcsIdentityEmulator acs, String connectionString) {
        return trusting(acs.certificatePem(), connectionString);
    }

    static CommunicationIdentityClient trusting(java.nio.file.Path pem, String connectionString) {
        X509Certificate certificate = certificate(pem);
        HttpClient reactor = HttpClient.create().secure(ssl -> ssl.sslContext(
                Http11SslContextSpec.forClient().configure(b -> b.trustManager(certificate))));
        return new CommunicationIdentityClientBuilder()
                .connectionString(connectionString)
                .httpClient(new NettyAsyncHttpClientBuilder(reactor).build())
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0)))
                .buildClient();
    }

    static X509Certificate certificate(AcsIdentityEmulator acs) {
        return certificate(acs.certificatePem());
    }

    static X509Certificate certificate(java.nio.file.Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
