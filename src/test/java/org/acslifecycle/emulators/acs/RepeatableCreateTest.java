package org.acslifecycle.emulators.acs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /identities} with and without the Repeatability-* headers, on the wire. */
class RepeatableCreateTest {

    private static final String CREATE = "/identities?api-version=2023-10-01";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private static AcsIdentityEmulator acs;
    private static HandSigner http;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
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
    void aRepeatedRequestIdGetsTheSameIdentityAndStatusAndMakesNoSecond() {
        Map<String, String> repeatable = repeatable(UUID.randomUUID().toString(), HTTP_DATE.format(Instant.now()));

        HttpResponse<String> first = create("{}", repeatable);
        HttpResponse<String> again = create("{}", repeatable);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(first.headers().firstValue("Repeatability-Result")).hasValue("accepted");
        assertThat(again.headers().firstValue("Repeatability-Result")).hasValue("accepted");
        assertThat(acs.identities()).singleElement().satisfies(v -> assertThat(first.body()).contains(v.id()));
    }

    @Test
    void aCreateWithATokenRepeatedGetsTheSameIdentityAndToken() {
        Map<String, String> repeatable = repeatable(UUID.randomUUID().toString(), HTTP_DATE.format(Instant.now()));

        HttpResponse<String> first = create("{\"createTokenWithScopes\":[\"chat\"]}", repeatable);
        HttpResponse<String> again = create("{\"createTokenWithScopes\":[\"chat\"]}", repeatable);

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body()).contains("\"token\"");
        assertThat(acs.identities()).hasSize(1);
    }

    @Test
    void createsWithoutTheHeadersAreNotRepeatable() {
        HttpResponse<String> first = create("{}", Map.of());
        HttpResponse<String> second = create("{}", Map.of());

        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isNotEqualTo(first.body());
        assertThat(second.headers().firstValue("Repeatability-Result")).isEmpty();
        assertThat(acs.identities()).hasSize(2);
    }

    @Test
    void aRequestIdThatIsNotAUuidIsRejected() {
        HttpResponse<String> response = create("{}", repeatable("not-a-uuid", HTTP_DATE.format(Instant.now())));

        assertRejected(response, 400, "Repeatability-Request-ID");
    }

    @Test
    void aFirstSentThatIsNotAnHttpDateIsRejected() {
        HttpResponse<String> response = create("{}", repeatable(UUID.randomUUID().toString(), Instant.now().toString()));

        assertRejected(response, 400, "Repeatability-First-Sent");
    }

    @Test
    void aRequestIdWithoutFirstSentIsRejected() {
        HttpResponse<String> response = create("{}", Map.of("Repeatability-Request-ID", UUID.randomUUID().toString()));

        assertRejected(response, 400, "Repeatability-First-Sent");
    }

    @Test
    void aRepeatWithAnotherBodyIsRejected() {
        Map<String, String> repeatable = repeatable(UUID.randomUUID().toString(), HTTP_DATE.format(Instant.now()));
        create("{}", repeatable);

        HttpResponse<String> other = create("{\"createTokenWithScopes\":[\"voip\"]}", repeatable);

        assertRejected(other, 400, "Repeatability-Request-ID");
        assertThat(acs.identities()).hasSize(1);
    }

    @Test
    void aFirstSentOlderThanTheWindowIsRejectedAsUnsafeToRepeat() {
        Instant tooOld = Instant.now().minus(RepeatableRequests.WINDOW).minus(Duration.ofMinutes(1));

        HttpResponse<String> response = create("{}", repeatable(UUID.randomUUID().toString(), HTTP_DATE.format(tooOld)));

        assertRejected(response, 412, "Repeatability-First-Sent");
        assertThat(response.body()).contains("\"code\":\"PreconditionFailed\"");
    }

    private static void assertRejected(HttpResponse<String> response, int status, String target) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Repeatability-Result")).hasValue("rejected");
        assertThat(response.body()).contains("\"target\":\"" + target + "\"");
        assertThat(acs.identities()).as("a rejected create makes nothing").hasSizeLessThanOrEqualTo(1);
    }

    private static Map<String, String> repeatable(String requestId, String firstSent) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Repeatability-Request-ID", requestId);
        headers.put("Repeatability-First-Sent", firstSent);
        return headers;
    }

    private static HttpResponse<String> create(String body, Map<String, String> extra) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(http.sign("POST", CREATE, bytes, Instant.now(),
                http.wireHost()));
        headers.putAll(extra);
        return http.send("POST", CREATE, bytes, headers);
    }
}
