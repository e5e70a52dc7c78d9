package org.acslifecycle.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The production path (endpoint + Entra ID credential instead of a key) through the real SDK, with a fixed credential
 * and the emulator's permissive mode: the adapter wiring and the scope asked for. Real tokens, checked as ACS checks
 * them, are {@code app.EntraIdAcsEndToEndTest}.
 */
class EntraIdAuthenticationTest {

    private final AtomicReference<String> requestedScope = new AtomicReference<>();
    private final TokenCredential fixedCredential = request -> {
        requestedScope.set(String.join(" ", request.getScopes()));
        return Mono.just(new AccessToken("entra-test-token", OffsetDateTime.now().plusHours(1)));
    };

    @Test
    void anEndpointWithAnEntraCredentialSendsABearerTokenForTheAcsScope() {
        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(
                AcsEmulatorConfig.defaults().withBearerMode(AcsEmulatorConfig.BearerMode.ACCEPT_ANY))) {
            AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(config(acs), fixedCredential);

            assertThat(adapter.createIdentity(CreateRequest.first(Instant.now()))).startsWith("8:acs:");
            assertThat(requestedScope.get()).isEqualTo("https://communication.azure.com//.default");
        }
    }

    @Test
    void aBearerTokenTheServiceRefusesIsSystemic() {
        try (AcsIdentityEmulator acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults())) {
            AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(config(acs), fixedCredential);

            assertThatThrownBy(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))
                    .isInstanceOfSatisfying(DirectoryFailure.Systemic.class, s -> assertThat(s.status()).isEqualTo(401))
                    .hasMessageNotContaining("entra-test-token");
        }
    }

    private static AcsIdentityConfig config(AcsIdentityEmulator acs) {
        return AcsIdentityConfig.ofManagedIdentity(acs.endpoint())
                .withTrustedCertificate(acs.certificatePem())
                .withRetry(EmulatedAcs.singleAttempt());
    }
}
