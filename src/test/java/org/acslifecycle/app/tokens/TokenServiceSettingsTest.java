package org.acslifecycle.app.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.acslifecycle.app.config.Config;
import org.acslifecycle.app.config.ConfigException;
import org.junit.jupiter.api.Test;

class TokenServiceSettingsTest {

    private static Map<String, String> complete() {
        Map<String, String> values = new HashMap<>();
        values.put("tokens.host", "127.0.0.1");
        values.put("tokens.port", "8443");
        values.put("tokens.auth.issuer", "https://login.microsoftonline.com/t/v2.0");
        values.put("tokens.auth.audience", "api://x, 11111111-2222-3333-4444-555555555555");
        values.put("tokens.auth.jwks-url", "https://login.microsoftonline.com/t/discovery/v2.0/keys");
        values.put("tokens.auth.user-claim", "oid");
        values.put("tokens.auth.any-user-role", "Tokens.IssueForAnyone");
        values.put("tokens.auth.clock-skew", "PT1M");
        values.put("tokens.auth.jwks-cache-ttl", "PT5M");
        values.put("tokens.auth.jwks-min-refresh", "PT30S");
        return values;
    }

    @Test
    void withoutAPortTheServiceIsOff() {
        Map<String, String> values = complete();
        values.remove("tokens.port");

        assertThat(TokenServiceSettings.from(Config.of(values, Map.of()))).isEmpty();
    }

    @Test
    void aCompleteConfigurationReadsEveryAudience() {
        TokenServiceSettings settings = TokenServiceSettings.from(Config.of(complete(), Map.of())).orElseThrow();

        assertThat(settings.port()).isEqualTo(8443);
        assertThat(settings.auth().audiences()).containsExactlyInAnyOrder("api://x", "11111111-2222-3333-4444-555555555555");
    }

    @Test
    void aMissingIssuerNamesItsKey() {
        Map<String, String> values = complete();
        values.remove("tokens.auth.issuer");

        assertThatThrownBy(() -> TokenServiceSettings.from(Config.of(values, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tokens.auth.issuer").hasMessageContaining("TOKENS_AUTH_ISSUER");
    }

    @Test
    void keysOverPlainHttpAreRefusedUnlessOnThisMachine() {
        Map<String, String> values = complete();
        values.put("tokens.auth.jwks-url", "http://login.example.com/keys");

        assertThatThrownBy(() -> TokenServiceSettings.from(Config.of(values, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tokens.auth.jwks-url");
        values.put("tokens.auth.jwks-url", "http://127.0.0.1:5000/keys");
        assertThat(TokenServiceSettings.from(Config.of(values, Map.of()))).isPresent();
    }

    @Test
    void aLargeClockSkewIsRefused() {
        Map<String, String> values = complete();
        values.put("tokens.auth.clock-skew", "PT10M");

        assertThatThrownBy(() -> TokenServiceSettings.from(Config.of(values, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tokens.auth.clock-skew");
    }
}
