package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.core.exception.HttpResponseException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults set through the Java API and the admin endpoint, seen by the real SDK (its retries off). */
class FaultInjectionTest {

    private static AcsIdentityEmulator acs;
    private static CommunicationIdentityClient client;
    private static HandSigner http;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        client = SdkClients.forEmulator(acs);
        http = new HandSigner(acs);
    }

    @AfterAll
    static void stop() {
        acs.close();
    }

    @BeforeEach
    void freshService() {
        acs.reset();
    }

    @Test
    void scriptedFaultsAnswerTheNextRequestsThenTheServiceRecovers() {
        acs.faults().failNext(2, 503, 1);

        assertThat(status(client::createUser)).isEqualTo(503);
        assertThat(status(client::createUser)).isEqualTo(503);
        client.createUser();

        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 503)).isEqualTo(2);
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 201)).isEqualTo(1);
    }

    @Test
    void anInjected429CarriesRetryAfter() {
        acs.faults().failNext(1, 429, 7);

        HttpResponse<String> response = http.signedSend("POST", "/identities?api-version=2022-10-01", "{}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(response.body()).contains("\"code\":\"TooManyRequests\"");
    }

    @Test
    void aShareOfOneAnswersEveryRequestWithThatStatus() {
        acs.faults().setPlan(FaultPlan.none().withErrorShares(0, 1.0, 0));

        for (int i = 0; i < 5; i++) {
            assertThat(status(client::createUser)).isEqualTo(500);
        }
    }

    @Test
    void sharesSplitRequestsRoughlyAsConfigured() {
        acs.faults().setPlan(FaultPlan.none().withErrorShares(0.5, 0, 0).withRetryAfterSeconds(0));

        for (int i = 0; i < 100; i++) {
            status(client::createUser);
        }

        // Binomial(100, 0.5): 25..75 is five standard deviations either side.
        assertThat(acs.callCounts().count(Operation.CREATE_IDENTITY, 429)).isBetween(25L, 75L);
    }

    @Test
    void addedLatencyDelaysTheAnswer() {
        acs.faults().setPlan(FaultPlan.none().withLatency(Duration.ofMillis(400)));

        long start = System.nanoTime();
        client.createUser();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void anOutageWindowAnswers503WithRetryAfterUntilItEnds() {
        acs.faults().startOutage(Duration.ofSeconds(30));

        HttpResponse<String> during = http.signedSend("POST", "/identities?api-version=2022-10-01", "{}");
        acs.faults().setPlan(acs.faults().plan().withOutage(Instant.now().minusSeconds(60),
                Instant.now().minusSeconds(1)));

        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(Long.parseLong(during.headers().firstValue("Retry-After").orElseThrow())).isBetween(28L, 30L);
        assertThat(client.createUser().getId()).startsWith("8:acs:");
    }

    @Test
    void wrongKeyModeDeniesThePublishedKeyUntilItIsSetBack() {
        acs.faults().setWrongKeyMode(true);
        assertThat(status(client::createUser)).isEqualTo(401);

        acs.faults().setWrongKeyMode(false);
        assertThat(client.createUser().getId()).startsWith("8:acs:");
    }

    @Test
    void theAdminEndpointSetsFaultsAtRunTime() {
        assertThat(http.admin("PUT", "/emulator/faults/wrong-key", "{\"enabled\":true}").statusCode())
                .isEqualTo(200);
        assertThat(status(client::createUser)).isEqualTo(401);
        assertThat(http.admin("DELETE", "/emulator/faults", "").statusCode()).isEqualTo(204);

        assertThat(http.admin("POST", "/emulator/faults/next", "{\"count\":1,\"status\":500}").statusCode())
                .isEqualTo(204);
        assertThat(status(client::createUser)).isEqualTo(500);

        assertThat(http.admin("PUT", "/emulator/faults", "{\"share503\":1.0}").statusCode()).isEqualTo(200);
        assertThat(status(client::createUser)).isEqualTo(503);
        assertThat(http.admin("PUT", "/emulator/faults", "{\"share503\":2.0}").statusCode()).isEqualTo(400);
    }

    @Test
    void aLostAnswerComesAfterTheWork() {
        assertThat(http.admin("POST", "/emulator/faults/lose-next", "{\"count\":1}").statusCode()).isEqualTo(204);

        assertThat(status(client::createUser)).isEqualTo(503);

        assertThat(acs.identities()).as("ACS made the identity whose answer was lost").hasSize(1);
        client.createUser();
        assertThat(acs.identities()).hasSize(2);
    }

    @Test
    void theAdminEndpointReportsCallCountsAndIdentities() {
        CommunicationUserIdentifier user = client.createUser();
        client.revokeTokens(user);

        HttpResponse<String> calls = http.admin("GET", "/emulator/calls", "");
        HttpResponse<String> identities = http.admin("GET", "/emulator/identities", "");

        assertThat(calls.body()).contains("\"CREATE_IDENTITY\":{\"201\":1}").contains("\"REVOKE_TOKENS\":{\"204\":1}");
        assertThat(identities.body()).contains(user.getId());
    }

    @Test
    void exceedingTheRevokeQuotaAnswers429WithRetryAfter() {
        CommunicationUserIdentifier user = client.createUser();
        for (int i = 0; i < 500; i++) {
            client.revokeTokens(user);
        }

        HttpResponse<String> response = http.signedSend("POST",
                "/identities/" + user.getId() + "/:revokeAccessTokens?api-version=2022-10-01", "");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        assertThat(acs.callCounts().count(Operation.REVOKE_TOKENS, 204)).isEqualTo(500);
    }

    @Test
    void aScaledQuotaWindowAdmitsRequestsAgainAfterTheRetryAfter() throws Exception {
        try (AcsIdentityEmulator scaled = AcsIdentityEmulator.start(
                AcsEmulatorConfig.defaults().withQuotaWindowFactor(0.2))) {
            CommunicationIdentityClient scaledClient = SdkClients.forEmulator(scaled);
            HandSigner scaledHttp = new HandSigner(scaled);
            CommunicationUserIdentifier user = scaledClient.createUser();
            String revoke = "/identities/" + user.getId() + "/:revokeAccessTokens?api-version=2022-10-01";
            for (int i = 0; i < 500; i++) {
                scaledClient.revokeTokens(user);
            }

            HttpResponse<String> throttled = scaledHttp.signedSend("POST", revoke, "");
            long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
            Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());

            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(retryAfter).isBetween(1L, 6L);
            assertThat(scaledHttp.signedSend("POST", revoke, "").statusCode()).isEqualTo(204);
        }
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (HttpResponseException e) {
            return e.getResponse().getStatusCode();
        }
    }
}
