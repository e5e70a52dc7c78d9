package org.acslifecycle.emulators.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.acslifecycle.emulators.entra.EntraEmulator;
import org.acslifecycle.emulators.entra.EntraEmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * CBS put-token of type {@code jwt}, as the SDK sends it for a {@code TokenCredential}: an Entra ID token of the
 * trusted issuer for {@code https://servicebus.azure.net} opens the entity; another audience, an expired token or
 * an unknown issuer's is refused with {@code UNAUTHORIZED}. The connection string carries a wrong key, replaced by
 * the credential: had the key been used, every send would fail.
 */
class EntraIdCbsTest {

    private static final String CLIENT = "9a7b6c5d-3333-4000-8000-00000000cb50";

    private EntraEmulator entra;
    private ServiceBusEmulator serviceBus;
    private final List<String> requestedScopes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (serviceBus != null) {
            serviceBus.close();
        }
        if (entra != null) {
            entra.close();
        }
    }

    @Test
    void aServiceBusTokenOfTheTrustedIssuerSendsAndReceives() throws Exception {
        start(Clock.systemUTC());
        TokenCredential credential = tokensFor(entra, "https://servicebus.azure.net");

        try (ServiceBusSenderClient sender = client(credential).sender().queueName("known").buildClient();
                ServiceBusReceiverClient receiver = client(credential).receiver().queueName("known")
                        .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE).buildClient()) {
            sender.sendMessage(new ServiceBusMessage("on a jwt"));
            assertThat(receiver.receiveMessages(1, Duration.ofSeconds(5)).stream().map(m -> m.getBody().toString()))
                    .containsExactly("on a jwt");
        }
        assertThat(requestedScopes).contains("https://servicebus.azure.net/.default");
    }

    @Test
    void aTokenForAcsIsRefusedAsUnauthorized() throws Exception {
        start(Clock.systemUTC());

        assertRefused(tokensFor(entra, "https://communication.azure.com"), "audience is not https://servicebus.azure.net");
    }

    @Test
    void anExpiredTokenIsRefusedAsUnauthorized() throws Exception {
        start(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));

        assertRefused(tokensFor(entra, "https://servicebus.azure.net"), "expired");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefusedAsUnauthorized() throws Exception {
        start(Clock.systemUTC());
        try (EntraEmulator stranger = EntraEmulator.start(EntraEmulatorConfig.of("other-tenant", CLIENT, "s"))) {
            assertRefused(tokensFor(stranger, "https://servicebus.azure.net"), "a key the issuer does not publish");
        }
    }

    private void start(Clock entraClock) throws Exception {
        entra = EntraEmulator.start(EntraEmulatorConfig.of("cbs-tenant", CLIENT, "secret").withClock(entraClock));
        serviceBus = ServiceBusEmulator.start(ServiceBusEmulatorOptions.of(
                TestTopologies.of(List.of(TestTopologies.queue("known")), List.of()), 0)
                .withEntraIssuer(entra.trustedIssuer()));
    }

    private void assertRefused(TokenCredential credential, String reason) {
        try (ServiceBusSenderClient sender = client(credential).sender().queueName("known").buildClient()) {
            assertThatThrownBy(() -> sender.sendMessage(new ServiceBusMessage("x")))
                    .isInstanceOfSatisfying(ServiceBusException.class,
                            e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.UNAUTHORIZED))
                    .hasMessageContaining(reason);
        }
    }

    /** Tokens minted by {@code issuer} for {@code audience}, whatever scope the SDK asks for (which is recorded). */
    private TokenCredential tokensFor(EntraEmulator issuer, String audience) {
        return request -> {
            requestedScopes.addAll(request.getScopes());
            return Mono.just(new AccessToken(issuer.mint(CLIENT, audience, Duration.ofHours(1)),
                    OffsetDateTime.now().plusHours(1)));
        };
    }

    private ServiceBusClientBuilder client(TokenCredential credential) {
        String wrongKey = serviceBus.connectionString()
                .replace("SharedAccessKey=" + ServiceBusEmulatorOptions.DEFAULT_KEY, "SharedAccessKey=not-the-key");
        return TestTopologies.client(wrongKey).credential(credential);
    }
}
