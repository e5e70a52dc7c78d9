package org.acslifecycle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.entra.EntraEmulator;
import org.acslifecycle.emulators.entra.EntraEmulatorConfig;
import org.acslifecycle.identity.AcsIdentityAdapter;
import org.acslifecycle.identity.AcsIdentityConfig;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.identity.RetrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The Entra ID path for real: azure-identity's {@code ClientSecretCredential} (MSAL4J), made by
 * {@link AzureCredentials} as the worker makes it, gets a client-credentials token from the local Entra ID emulator
 * over HTTPS; the ACS emulator checks that token's signature against the emulator's JWKS, its issuer, audience and
 * expiry. No access key is involved.
 */
class EntraIdAcsEndToEndTest {

    private static final String TENANT = "7c8a1b2e-0000-4000-8000-00000000c0de";
    private static final String CLIENT_ID = "3f1e2d4c-1111-4000-8000-0000000a99e1";
    private static final String CLIENT_SECRET = "local~client~secret~not~for~logs";

    private EntraEmulator entra;
    private AcsIdentityEmulator acs;

    @AfterEach
    void stop() {
        if (acs != null) {
            acs.close();
        }
        if (entra != null) {
            entra.close();
        }
    }

    @Test
    void aClientSecretCredentialAgainstTheLocalAuthorityCreatesAnIdentityWithAValidatedToken() {
        start(Clock.systemUTC());

        String id = adapter(credential(CLIENT_SECRET)).createIdentity(CreateRequest.first(Instant.now()));

        assertThat(id).startsWith("8:acs:");
        // What MSAL4J asked of the authority: with instance discovery disabled, only the token endpoint (no
        // OpenID configuration, no instance discovery); then the ACS emulator fetched the JWKS to check the token.
        assertThat(entra.requests()).containsExactly(
                "POST /" + TENANT + "/oauth2/v2.0/token"
                        + " form[claims, client_id, client_info, client_secret, grant_type, scope]"
                        + " grant_type=client_credentials"
                        + " scope=https://communication.azure.com//.default openid profile offline_access"
                        + " claims={\"access_token\":{\"xms_cc\":{\"values\":[\"CP1\"]}}}",
                "GET /" + TENANT + "/discovery/v2.0/keys");
        assertThat(String.join("\n", entra.requests())).doesNotContain(CLIENT_SECRET);
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedAsSystemic() {
        start(Clock.systemUTC());
        TokenCredential real = credential(CLIENT_SECRET).get();
        // A credential that answers every request with a Service Bus token: a valid token, for the wrong resource.
        TokenCredential serviceBusToken = request -> real.getToken(
                new TokenRequestContext().addScopes("https://servicebus.azure.net/.default"));

        assertThatThrownBy(() -> adapter(() -> serviceBusToken).createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOfSatisfying(DirectoryFailure.Systemic.class, s -> assertThat(s.status()).isEqualTo(401))
                .hasMessageContaining("audience");
        assertThat(acs.identities()).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefusedAsSystemic() {
        // The authority's clock is two hours behind: its one-hour tokens have expired by the resource's clock,
        // though expires_in tells the client they are fresh.
        start(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));

        assertThatThrownBy(() -> adapter(credential(CLIENT_SECRET)).createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOfSatisfying(DirectoryFailure.Systemic.class, s -> assertThat(s.status()).isEqualTo(401))
                .hasMessageContaining("expired");
        assertThat(acs.identities()).isEmpty();
    }

    @Test
    void aTokenTheIssuerDidNotSignIsRefused() {
        start(Clock.systemUTC());
        String forged = forge(entra.mint(CLIENT_ID, "https://communication.azure.com", Duration.ofHours(1)));
        TokenCredential forger = request -> Mono.just(new AccessToken(forged, java.time.OffsetDateTime.now().plusHours(1)));

        assertThatThrownBy(() -> adapter(() -> forger).createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOfSatisfying(DirectoryFailure.Systemic.class, s -> assertThat(s.status()).isEqualTo(401))
                .hasMessageNotContaining(forged);
    }

    @Test
    void aWrongClientSecretGetsNoTokenAndNothingReachesAcs() {
        start(Clock.systemUTC());

        assertThatThrownBy(() -> adapter(credential("not-the-secret")).createIdentity(CreateRequest.first(Instant.now())))
                .isInstanceOf(DirectoryFailure.class)
                .hasMessageNotContaining("not-the-secret");
        assertThat(acs.identities()).isEmpty();
    }

    @Test
    void hmacStillWorksWhileBearerTokensAreValidated() {
        start(Clock.systemUTC());
        AcsIdentityAdapter withKey = AcsIdentityAdapter.fromConfig(
                AcsIdentityConfig.ofConnectionString(acs.connectionString()).withTrustedCertificate(acs.certificatePem())
                        .withRetry(RetrySettings.singleAttempt()));

        assertThat(withKey.createIdentity(CreateRequest.first(Instant.now()))).startsWith("8:acs:");
    }

    private void start(Clock entraClock) {
        entra = EntraEmulator.start(EntraEmulatorConfig.of(TENANT, CLIENT_ID, CLIENT_SECRET).withClock(entraClock));
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults().withEntraIssuer(entra.trustedIssuer()));
    }

    private Supplier<TokenCredential> credential(String secret) {
        return AzureCredentials.shared(Optional.of(new AzureCredentials.ClientSecret(TENANT, CLIENT_ID, secret,
                entra.authorityHost(), entra.certificatePem())));
    }

    private AcsIdentityAdapter adapter(Supplier<TokenCredential> credential) {
        return AcsIdentityAdapter.fromConfig(AcsIdentityConfig.ofManagedIdentity(acs.endpoint())
                        .withTrustedCertificate(acs.certificatePem()).withRetry(RetrySettings.singleAttempt()),
                credential, AcsPacing.unpaced(), new CompositeMeterRegistry());
    }

    /** The same header and claims with the signature of another token: a signature the issuer never made. */
    private static String forge(String token) {
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(0);
        return parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
    }
}
