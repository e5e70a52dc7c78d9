package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.identity.ClientSecretCredential;
import com.azure.identity.DefaultAzureCredential;
import java.util.Map;
import java.util.Optional;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Which Entra ID credential the {@code azure.*} keys make, and what a bad set of keys is told. */
class AzureCredentialsTest {

    private static final Map<String, String> CLIENT = Map.of(
            "azure.tenant-id", "tenant", "azure.client-id", "client", "azure.client-secret", "s3cr3t-value");

    @Test
    void noAzureKeysMeanDefaultAzureCredential() {
        Optional<AzureCredentials.ClientSecret> settings = AzureCredentials.settings(Config.of(Map.of(), Map.of()));

        assertThat(settings).isEmpty();
        assertThat(AzureCredentials.build(settings)).isInstanceOf(DefaultAzureCredential.class);
    }

    @Test
    void aClientSecretMeansClientSecretCredentialAgainstEntraIdByDefault() {
        Optional<AzureCredentials.ClientSecret> settings = AzureCredentials.settings(Config.of(CLIENT, Map.of()));

        assertThat(settings).hasValueSatisfying(s -> assertThat(s.authorityHost())
                .isEqualTo(AzureCredentials.DEFAULT_AUTHORITY));
        assertThat(AzureCredentials.build(settings)).isInstanceOf(ClientSecretCredential.class);
    }

    @Test
    void theSecretCanComeFromTheEnvironmentAndIsNeverShown() {
        Map<String, String> file = Map.of("azure.tenant-id", "tenant", "azure.client-id", "client");
        Optional<AzureCredentials.ClientSecret> settings = AzureCredentials.settings(
                Config.of(file, Map.of("AZURE_CLIENT_SECRET", "from-the-environment")));

        assertThat(settings.orElseThrow().clientSecret()).isEqualTo("from-the-environment");
        assertThat(settings.orElseThrow().toString()).doesNotContain("from-the-environment").contains("<redacted>");
    }

    @Test
    void aClientIdWithoutASecretIsTheManagedIdentitysAndLeftToDefaultAzureCredential() {
        // Production sets AZURE_CLIENT_ID for the user-assigned managed identity (infra/modules/worker-app.bicep);
        // AZURE_TENANT_ID with it is workload identity. Neither is a client secret.
        Config config = Config.of(Map.of(), Map.of("AZURE_CLIENT_ID", "managed-identity", "AZURE_TENANT_ID", "t"));

        assertThat(AzureCredentials.settings(config)).isEmpty();
    }

    @Test
    void aSecretWithoutAClientIdNamesTheMissingKey() {
        Config config = Config.of(Map.of("azure.tenant-id", "tenant", "azure.client-secret", "s3cr3t-value"), Map.of());

        assertThatThrownBy(() -> AzureCredentials.settings(config))
                .isInstanceOf(ConfigException.class).hasMessageContaining("azure.client-id")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void anAuthorityHostMustBeHttps() {
        Map<String, String> values = new java.util.HashMap<>(CLIENT);
        values.put("azure.authority-host", "http://127.0.0.1:8443/");

        assertThatThrownBy(() -> AzureCredentials.settings(Config.of(values, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("azure.authority-host")
                .hasMessageNotContaining("s3cr3t-value");
    }
}
