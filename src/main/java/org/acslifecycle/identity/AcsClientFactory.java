package org.acslifecycle.identity;

import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.tracing.opentelemetry.OpenTelemetryTracingOptions;
import com.azure.core.util.ClientOptions;
import org.acslifecycle.tracing.Tracing;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.netty.http.Http11SslContextSpec;

/**
 * The one place that builds the {@link CommunicationIdentityClient}: credential from config, SDK retries off (the
 * adapter's resilience4j layer is the only one), a create's repeatability headers, per-attempt time-outs, and, for the emulator, an HTTP client that
 * trusts exactly the given certificate (nothing JVM-wide, no trust-all).
 */
final class AcsClientFactory {

    private AcsClientFactory() {
    }

    static CommunicationIdentityClient build(AcsIdentityConfig config) {
        return build(config, () -> new DefaultAzureCredentialBuilder().build());
    }

    /** {@code entraCredential} is used only with an endpoint (no connection string); tests pass a fixed one. */
    static CommunicationIdentityClient build(AcsIdentityConfig config, Supplier<TokenCredential> entraCredential) {
        return build(config, entraCredential, Tracing.off());
    }

    /** With each HTTP call a span of {@code tracing} (and its W3C {@code traceparent} header sent to ACS). */
    static CommunicationIdentityClient build(AcsIdentityConfig config, Supplier<TokenCredential> entraCredential,
            Tracing tracing) {
        CommunicationIdentityClientBuilder builder = new CommunicationIdentityClientBuilder()
                .clientOptions(new ClientOptions().setTracingOptions(
                        new OpenTelemetryTracingOptions().setOpenTelemetry(tracing.openTelemetry())))
                .httpClient(httpClient(config))
                // maxRetries 0: one HTTP attempt per SDK call; retrying is AcsRetry's job.
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0)))
                // A create's Repeatability-* headers, from the call's context (see RepeatabilityPolicy).
                .addPolicy(new RepeatabilityPolicy())
                // A client span and a traceparent header for each HTTP request (see HttpSpanPolicy).
                .addPolicy(new HttpSpanPolicy(tracing));
        if (config.connectionString() != null) {
            builder.connectionString(config.connectionString());
        } else {
            builder.endpoint(config.endpoint().toString())
                    .credential(entraCredential.get());
        }
        return builder.buildClient();
    }

    private static HttpClient httpClient(AcsIdentityConfig config) {
        reactor.netty.http.client.HttpClient reactorClient = reactor.netty.http.client.HttpClient.create();
        if (config.trustedCertificatePem() != null) {
            X509Certificate trusted = readCertificate(config.trustedCertificatePem());
            reactorClient = reactorClient.secure(ssl -> ssl.sslContext(
                    Http11SslContextSpec.forClient().configure(b -> b.trustManager(trusted))));
        }
        Duration timeout = config.attemptTimeout();
        return new NettyAsyncHttpClientBuilder(reactorClient)
                .connectTimeout(timeout)
                .responseTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .build();
    }

    static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("acs: cannot read trusted certificate " + pem, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("acs: " + pem + " holds no X.509 certificate", e);
        }
    }
}
