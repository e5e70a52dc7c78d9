package org.acslifecycle.app;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.acslifecycle.app.config.Config;
import reactor.netty.http.Http11SslContextSpec;

/**
 * The one place that makes the Microsoft Entra ID credential the worker's two SDKs (ACS Identity and Service Bus)
 * use when they are configured with {@code acs.endpoint} / {@code servicebus.namespace} instead of keys:
 * {@code ClientSecretCredential} when {@code azure.client-secret} is set (with {@code azure.tenant-id} and
 * {@code azure.client-id}), otherwise {@code DefaultAzureCredential} (managed identity in Azure, the developer's
 * {@code az login} locally). Both SDKs get the same instance, so one token cache.
 */
final class AzureCredentials {

    private AzureCredentials() {
    }

    /**
     * An application registration's client secret (a service principal).
     *
     * @param authorityHost Entra ID's host, {@code https://login.microsoftonline.com/} unless another cloud (or the
     *     local emulator) is meant
     * @param trustedCertificatePem the one certificate to trust for the authority (the local emulator), or
     *     {@code null} for the JDK's trust store
     */
    record ClientSecret(String tenantId, String clientId, String clientSecret, URI authorityHost,
            Path trustedCertificatePem) {
        ClientSecret {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(authorityHost, "authorityHost");
        }

        @Override
        public String toString() {
            return "ClientSecret[tenantId=" + tenantId + ", clientId=" + clientId + ", clientSecret=<redacted>"
                    + ", authorityHost=" + authorityHost + ", trustedCertificatePem=" + trustedCertificatePem + "]";
        }
    }

    static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com/");

    /**
     * The {@code azure.*} keys. {@code azure.client-secret} decides: with it, {@code azure.tenant-id} and
     * {@code azure.client-id} are required too; without it there is no client secret, whatever else is set —
     * {@code AZURE_CLIENT_ID} alone names the user-assigned managed identity (infra sets it) and
     * {@code AZURE_TENANT_ID} with it is workload identity, both for {@code DefaultAzureCredential} to read.
     */
    static Optional<ClientSecret> settings(Config config) {
        Optional<String> secret = config.secret("azure.client-secret");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        for (String key : new String[] {"azure.tenant-id", "azure.client-id"}) {
            if (config.optional(key).isEmpty()) {
                throw config.bad(key, "is missing (azure.client-secret needs azure.tenant-id and azure.client-id)");
            }
        }
        String tenant = config.string("azure.tenant-id");
        String client = config.string("azure.client-id");
        URI authority = config.optional("azure.authority-host").map(v -> {
            URI uri;
            try {
                uri = URI.create(v);
            } catch (IllegalArgumentException e) {
                throw config.bad("azure.authority-host", "must be an https:// URL, was '" + v + "'");
            }
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw config.bad("azure.authority-host", "must be an https:// URL, was '" + v + "'");
            }
            return uri;
        }).orElse(DEFAULT_AUTHORITY);
        Path pem = config.optional("azure.trusted-certificate-pem").map(v -> {
            Path path = Path.of(v);
            if (!Files.isRegularFile(path)) {
                throw config.bad("azure.trusted-certificate-pem", "names no file: " + v);
            }
            return path;
        }).orElse(null);
        return Optional.of(new ClientSecret(tenant, client, secret.get(), authority, pem));
    }

    /** The credential for {@code settings}, made on first use and then shared. */
    static Supplier<TokenCredential> shared(Optional<ClientSecret> settings) {
        return new Supplier<>() {
            private TokenCredential credential;

            @Override
            public synchronized TokenCredential get() {
                if (credential == null) {
                    credential = build(settings);
                }
                return credential;
            }
        };
    }

    static Supplier<TokenCredential> shared(Config config) {
        return shared(settings(config));
    }

    static TokenCredential build(Optional<ClientSecret> settings) {
        if (settings.isEmpty()) {
            return new DefaultAzureCredentialBuilder().build();
        }
        ClientSecret s = settings.get();
        ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                .tenantId(s.tenantId())
                .clientId(s.clientId())
                .clientSecret(s.clientSecret())
                .authorityHost(s.authorityHost().toString());
        if (!DEFAULT_AUTHORITY.equals(s.authorityHost())) {
            // MSAL would otherwise ask login.microsoftonline.com to vouch for a host it does not know.
            builder.disableInstanceDiscovery();
        }
        if (s.trustedCertificatePem() != null) {
            builder.httpClient(trusting(s.trustedCertificatePem()));
        }
        return builder.build();
    }

    private static HttpClient trusting(Path pem) {
        X509Certificate trusted;
        try (InputStream in = Files.newInputStream(pem)) {
            trusted = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("azure: cannot read trusted certificate " + pem, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("azure: " + pem + " holds no X.509 certificate", e);
        }
        return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .secure(ssl -> ssl.sslContext(Http11SslContextSpec.forClient()
                        .configure(b -> b.trustManager(trusted))))).build();
    }
}
