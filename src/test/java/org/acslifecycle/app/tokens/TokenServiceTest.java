package org.acslifecycle.app.tokens;

import static org.acslifecycle.core.EventType.OFFBOARDED;
import static org.acslifecycle.core.EventType.ONBOARDED;
import static org.acslifecycle.core.EventType.SUSPENDED;
import static org.acslifecycle.core.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.execution.Controller;
import org.acslifecycle.core.TokenIssuance;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.core.port.PendingTerminations;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.acslifecycle.emulators.acs.TokenVerdict;
import org.acslifecycle.identity.AcsIdentityAdapter;
import org.acslifecycle.identity.AcsIdentityConfig;
import org.acslifecycle.identity.AcsPacing;
import org.acslifecycle.identity.RetrySettings;
import org.acslifecycle.ledger.JdbcLedger;
import org.acslifecycle.ledger.LedgerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The token service over real sockets: callers' JWTs minted here and checked against this test's own JWKS
 * server, the person's state in an H2 ledger, tokens from the ACS emulator through the real SDK.
 */
class TokenServiceTest {

    @TempDir
    static Path directory;

    private static AcsIdentityEmulator acs;
    private static TestIssuer issuer;
    private static JdbcLedger ledger;
    private static Controller lifecycle;
    private static TokenServer server;
    private static PrometheusMeterRegistry registry;
    private static final AtomicBoolean budgetSpent = new AtomicBoolean();
    private static final AtomicBoolean circuitOpen = new AtomicBoolean();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        issuer = new TestIssuer();
        ledger = JdbcLedger.open(LedgerSettings.h2File(directory.resolve("ledger")), Clock.systemUTC());
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AcsIdentityAdapter adapter = AcsIdentityAdapter.fromConfig(AcsIdentityConfig.ofConnectionString(acs.connectionString())
                .withTrustedCertificate(acs.certificatePem())
                .withRetry(new RetrySettings(1, Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(10), true))
                .withAttemptTimeout(Duration.ofSeconds(5)), AcsPacing.unpaced(), registry);
        lifecycle = new Controller(ledger, adapter);
        IssueBudget budget = () -> budgetSpent.get() ? new IssueBudget.Exhausted(Duration.ofMillis(6500)) : new IssueBudget.Granted();
        server = TokenServer.start(new TokenServiceSettings("127.0.0.1", 0, issuer.settings()), ledger, adapter, budget,
                PendingTerminations.NONE_RECORDED, circuitOpen::get, registry, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        server.close();
        ledger.close();
        issuer.close();
        acs.close();
    }

    @AfterEach
    void reset() {
        budgetSpent.set(false);
        circuitOpen.set(false);
        acs.faults().clear();
    }

    // ---- given ----

    /** A person onboarded by an HR event: ACTIVE, with an ACS identity in the emulator. */
    private static String activePerson() {
        String externalId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        lifecycle.handle(event(ONBOARDED, externalId, 0));
        return externalId;
    }

    private static HttpResponse<String> post(Optional<String> bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        bearer.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> askAs(String callerToken) throws Exception {
        return post(Optional.of(callerToken), "{\"scopes\": [\"chat\", \"voip\"], \"expiresInMinutes\": 60}");
    }

    private static HttpResponse<String> askAs(String callerToken, String forExternalId) throws Exception {
        return post(Optional.of(callerToken), "{\"scopes\": [\"chat\"], \"externalId\": \"" + forExternalId + "\"}");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Asserts an RFC 9457 problem of the given status and reason; returns it. */
    private static JsonNode assertProblem(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:acs-lifecycle:token-service:problem:" + reason);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }

    private static String unsignedToken(String claimsJson) {
        return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64URL.encode(claimsJson) + ".";
    }

    // ---- issued ----

    @Test
    void anActivePersonGetsATokenThatTheAcsEmulatorAccepts() throws Exception {
        String alice = activePerson();
        String acsUserId = ledger.person(alice).orElseThrow().acsUserId().orElseThrow();

        HttpResponse<String> response = askAs(issuer.tokenFor(alice));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("acsUserId").asText()).isEqualTo(acsUserId);
        TokenVerdict verdict = acs.inspectToken(body.path("token").asText());
        assertThat(verdict.valid()).as(verdict.toString()).isTrue();
        assertThat(verdict.identityId()).isEqualTo(acsUserId);
        assertThat(verdict.scopes()).containsExactly("chat", "voip");
        Instant expiresOn = Instant.parse(body.path("expiresOn").asText());
        assertThat(expiresOn).isBetween(Instant.now().plus(Duration.ofMinutes(58)), Instant.now().plus(Duration.ofMinutes(61)));
    }

    @Test
    void everyIssuanceIsAuditedWithCallerPersonScopesAndExpiryButNeverTheToken() throws Exception {
        String alice = activePerson();
        HttpResponse<String> response = askAs(issuer.tokenFor(alice));
        String token = json(response).path("token").asText();

        AuditEntry row = ledger.history(alice).orElseThrow().audit().stream()
                .filter(a -> a.eventType().equals(Optional.of(TokenIssuance.AUDIT_TYPE))).findFirst().orElseThrow();
        assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.OPERATOR);
        assertThat(row.actor()).startsWith("entra:").contains("app:test-client");
        assertThat(row.reason().orElseThrow()).contains("[chat, voip]").contains("60 min")
                .contains(json(response).path("expiresOn").asText()).doesNotContain(token);
        assertThat(row.acsUserId()).isEqualTo(ledger.person(alice).orElseThrow().acsUserId());
    }

    @Test
    void theLifetimeDefaultsToTheShortestAcsAllows() throws Exception {
        String alice = activePerson();

        HttpResponse<String> response = post(Optional.of(issuer.tokenFor(alice)), "{\"scopes\": [\"voip\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(json(response).path("expiresOn").asText())).isBefore(Instant.now().plus(Duration.ofMinutes(61)));
    }

    @Test
    void aCallerWithTheAnyUserRoleMayAskForSomeoneElse() throws Exception {
        String alice = activePerson();
        String app = issuer.token(claims -> claims.claim("roles", List.of(TestIssuer.ANY_USER_ROLE)));

        HttpResponse<String> response = askAs(app, alice);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(acs.inspectToken(json(response).path("token").asText()).valid()).isTrue();
    }

    @Test
    void aKeyRolledOverByTheIssuerIsFetchedOnItsFirstUnknownKid() throws Exception {
        String alice = activePerson();
        assertThat(askAs(issuer.tokenFor(alice)).statusCode()).isEqualTo(200);
        RSAKey next = TestIssuer.newKey();
        issuer.publish(next);
        Thread.sleep(100); // past tokens.auth.jwks-min-refresh of the test (50 ms)

        HttpResponse<String> response = askAs(TestIssuer.sign(next, next.getKeyID(),
                TestIssuer.validClaims().claim(TestIssuer.USER_CLAIM, alice).build()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void theIssuersKeysAreCachedNotFetchedPerRequest() throws Exception {
        String alice = activePerson();
        askAs(issuer.tokenFor(alice));
        int before = issuer.fetches();

        for (int i = 0; i < 5; i++) {
            assertThat(askAs(issuer.tokenFor(alice)).statusCode()).isEqualTo(200);
        }

        assertThat(issuer.fetches()).isEqualTo(before);
    }

    // ---- 401 ----

    @Test
    void noAuthorizationHeaderIsUnauthenticated() throws Exception {
        HttpResponse<String> response = post(Optional.empty(), "{\"scopes\": [\"chat\"]}");

        assertProblem(response, 401, "unauthenticated");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void aTokenWithAForgedSignatureIsUnauthenticated() throws Exception {
        String alice = activePerson();
        // Signed by another key under the published key's id: only the signature check can catch it.
        String forged = TestIssuer.sign(TestIssuer.newKey(), issuer.key.getKeyID(),
                TestIssuer.validClaims().claim(TestIssuer.USER_CLAIM, alice).build());

        assertProblem(askAs(forged), 401, "unauthenticated");
    }

    @Test
    void aTokenFromAnotherIssuerIsUnauthenticated() throws Exception {
        String alice = activePerson();

        assertProblem(askAs(issuer.token(c -> c.claim(TestIssuer.USER_CLAIM, alice)
                .issuer("https://login.microsoftonline.com/another-tenant/v2.0"))), 401, "unauthenticated");
    }

    @Test
    void aTokenForAnotherAudienceIsUnauthenticated() throws Exception {
        String alice = activePerson();

        assertProblem(askAs(issuer.token(c -> c.claim(TestIssuer.USER_CLAIM, alice).audience("api://another-api"))),
                401, "unauthenticated");
    }

    @Test
    void anExpiredTokenIsUnauthenticatedBeyondTheSkew() throws Exception {
        String alice = activePerson();
        Instant twoMinutesAgo = Instant.now().minusSeconds(120); // the test's skew is 60 s

        assertProblem(askAs(issuer.token(c -> c.claim(TestIssuer.USER_CLAIM, alice)
                .issueTime(Date.from(twoMinutesAgo.minusSeconds(3600))).notBeforeTime(Date.from(twoMinutesAgo.minusSeconds(3600)))
                .expirationTime(Date.from(twoMinutesAgo)))), 401, "unauthenticated");
    }

    @Test
    void aTokenNotYetValidIsUnauthenticatedBeyondTheSkew() throws Exception {
        String alice = activePerson();

        assertProblem(askAs(issuer.token(c -> c.claim(TestIssuer.USER_CLAIM, alice)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(300))))), 401, "unauthenticated");
    }

    @Test
    void aTokenWithoutTheUserClaimOrTheRoleIsUnauthenticated() throws Exception {
        assertProblem(askAs(issuer.token(c -> c)), 401, "unauthenticated");
    }

    @Test
    void anUnsignedAlgNoneTokenIsUnauthenticated() throws Exception {
        String alice = activePerson();
        String claims = TestIssuer.validClaims().claim(TestIssuer.USER_CLAIM, alice).build().toString();

        assertProblem(askAs(unsignedToken(claims)), 401, "unauthenticated");
    }

    @Test
    void aTokenSignedWithAKeyTheJwksDoesNotHoldIsUnauthenticated() throws Exception {
        String alice = activePerson();
        RSAKey unpublished = TestIssuer.newKey();

        assertProblem(askAs(TestIssuer.sign(unpublished, unpublished.getKeyID(),
                TestIssuer.validClaims().claim(TestIssuer.USER_CLAIM, alice).build())), 401, "unauthenticated");
    }

    @Test
    void garbageInTheAuthorizationHeaderIsUnauthenticated() throws Exception {
        assertProblem(askAs("not.a.jwt"), 401, "unauthenticated");
        assertProblem(post(Optional.empty(), "{}"), 401, "unauthenticated");
    }

    // ---- 403, 404 ----

    @Test
    void aUserAskingForSomeoneElseWithoutTheRoleIsForbiddenAndAudited() throws Exception {
        String alice = activePerson();
        String bob = activePerson();

        assertProblem(askAs(issuer.tokenFor(alice), bob), 403, "caller-not-allowed");

        assertThat(ledger.history(bob).orElseThrow().audit()).anySatisfy(row -> {
            assertThat(row.eventType()).contains(TokenIssuance.AUDIT_TYPE);
            assertThat(row.outcome()).isEqualTo(AuditEntry.Outcome.REFUSED);
            assertThat(row.reason().orElseThrow()).contains("NotAllowed");
        });
    }

    @Test
    void aSuspendedPersonIsRefused() throws Exception {
        String alice = activePerson();
        lifecycle.handle(event(SUSPENDED, alice, 1));

        JsonNode problem = assertProblem(askAs(issuer.tokenFor(alice)), 403, "person-not-active");
        assertThat(problem.path("detail").asText()).contains("SUSPENDED");
    }

    @Test
    void aDeletedPersonIsRefused() throws Exception {
        String alice = activePerson();
        lifecycle.handle(event(OFFBOARDED, alice, 1));

        JsonNode problem = assertProblem(askAs(issuer.tokenFor(alice)), 403, "person-not-active");
        assertThat(problem.path("detail").asText()).contains("DELETED");
    }

    @Test
    void theVeryNextRequestAfterASuspensionIsRecordedIsRefused() throws Exception {
        String alice = activePerson();
        String caller = issuer.tokenFor(alice);
        assertThat(askAs(caller).statusCode()).isEqualTo(200);

        lifecycle.handle(event(SUSPENDED, alice, 1));

        assertProblem(askAs(caller), 403, "person-not-active");
    }

    @Test
    void aPersonTheLedgerNeverHeardOfHasNoIdentity() throws Exception {
        assertProblem(askAs(issuer.tokenFor("stranger-" + UUID.randomUUID())), 404, "no-identity");
    }

    @Test
    void aSuspendedPersonWithoutIdentityIsRefusedAsNotActive() throws Exception {
        String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8);
        lifecycle.handle(event(SUSPENDED, dave, 0));

        assertProblem(askAs(issuer.tokenFor(dave)), 403, "person-not-active");
    }

    // ---- 400 ----

    @Test
    void badScopesAndLifetimesAreBadRequests() throws Exception {
        String caller = issuer.tokenFor(activePerson());

        assertProblem(post(Optional.of(caller), "{\"scopes\": []}"), 400, "invalid-scopes");
        assertProblem(post(Optional.of(caller), "{\"scopes\": [\"admin\"]}"), 400, "invalid-scopes");
        assertProblem(post(Optional.of(caller), "{\"expiresInMinutes\": 60}"), 400, "invalid-scopes");
        assertProblem(post(Optional.of(caller), "{\"scopes\": [\"chat\"], \"expiresInMinutes\": 59}"), 400, "invalid-lifetime");
        assertProblem(post(Optional.of(caller), "{\"scopes\": [\"chat\"], \"expiresInMinutes\": 1441}"), 400, "invalid-lifetime");
        assertProblem(post(Optional.of(caller), "{\"scopes\": [\"chat\"], \"expiresInMinutes\": 90.5}"), 400, "invalid-lifetime");
        assertProblem(post(Optional.of(caller), "not json"), 400, "invalid-request");
        assertProblem(post(Optional.of(caller), "{\"scopes\": [\"chat\"], \"admin\": true}"), 400, "invalid-request");
        assertProblem(post(Optional.of(caller), "{\"scopes\": [\"chat\"], \"externalId\": \"gina smith\"}"), 400, "invalid-request");
    }

    @Test
    void anAppWithTheRoleButNoPersonNamedIsABadRequest() throws Exception {
        String app = issuer.token(claims -> claims.claim("roles", List.of(TestIssuer.ANY_USER_ROLE)));

        assertProblem(post(Optional.of(app), "{\"scopes\": [\"chat\"]}"), 400, "person-required");
    }

    @Test
    void otherPathsAndMethodsAreProblemsToo() throws Exception {
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/tokens"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(get, 405, "method-not-allowed");
        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/other"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(elsewhere, 404, "not-found");
    }

    // ---- 429, 503 ----

    @Test
    void anExhaustedIssueBudgetIs429WithRetryAfterAndNoAcsCall() throws Exception {
        String alice = activePerson();
        budgetSpent.set(true);
        acs.resetCallCounts();

        HttpResponse<String> response = askAs(issuer.tokenFor(alice));

        assertProblem(response, 429, "issue-budget-exhausted");
        assertThat(response.headers().firstValue("Retry-After")).contains("7");
        assertThat(acs.tokens().stream().filter(t -> t.identityId().equals(ledger.person(alice).orElseThrow().acsUserId().orElseThrow())))
                .isEmpty();
    }

    @Test
    void acsRefusingOurCredentialsIs503() throws Exception {
        String alice = activePerson();
        acs.faults().setWrongKeyMode(true);

        assertProblem(askAs(issuer.tokenFor(alice)), 503, "acs-circuit-open");
    }

    @Test
    void anOpenAcsCircuitIs503WithoutCallingAcs() throws Exception {
        String alice = activePerson();
        circuitOpen.set(true);
        int tokensBefore = acs.tokens().size();

        assertProblem(askAs(issuer.tokenFor(alice)), 503, "acs-circuit-open");
        assertThat(acs.tokens()).hasSize(tokensBefore);
    }

    @Test
    void acsUnavailableThroughTheRetriesIs503() throws Exception {
        String alice = activePerson();
        acs.faults().failNext(1, 503, 3);

        HttpResponse<String> response = askAs(issuer.tokenFor(alice));

        assertProblem(response, 503, "acs-unavailable");
    }

    @Test
    void acsRefusingTheRequestForGoodIsABadGatewayNotAnInternalError() throws Exception {
        String alice = activePerson();
        acs.faults().failNext(1, 400, 0);

        assertProblem(askAs(issuer.tokenFor(alice)), 502, "acs-rejected");
    }

    @Test
    void anUnreachableJwksIs503NotTheCallersFault() throws Exception {
        // A port that was free a moment ago and is closed now: the issuer's keys cannot be fetched.
        com.sun.net.httpserver.HttpServer gone = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 1);
        URI keys = URI.create("http://127.0.0.1:" + gone.getAddress().getPort() + "/keys");
        gone.stop(0);
        AuthSettings unreachable = new AuthSettings(TestIssuer.ISSUER, java.util.Set.of(TestIssuer.AUDIENCE), keys,
                TestIssuer.USER_CLAIM, TestIssuer.ANY_USER_ROLE, Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofMillis(50));
        try (TokenServer blind = TokenServer.start(new TokenServiceSettings("127.0.0.1", 0, unreachable), ledger,
                new org.acslifecycle.core.port.AccessTokens() {
                    @Override
                    public IssuedToken issueToken(String acsUserId, TokenRequest request) {
                        throw new AssertionError("no token without a validated caller");
                    }

                    @Override
                    public IdentityWithToken createIdentityWithToken(CreateRequest create, TokenRequest request) {
                        throw new AssertionError();
                    }
                }, IssueBudget.unlimited(), PendingTerminations.NONE_RECORDED, () -> false, registry, Clock.systemUTC())) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + blind.port() + "/v1/tokens"))
                    .header("Authorization", "Bearer " + issuer.tokenFor(activePerson()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\": [\"chat\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertProblem(response, 503, "issuer-keys-unavailable");
        }
    }

    // ---- metrics, logs ----

    @Test
    void metricsCountRequestsByOutcome() throws Exception {
        String alice = activePerson();
        askAs(issuer.tokenFor(alice));
        askAs("garbage");

        String scrape = registry.scrape();
        assertThat(scrape).contains("acs_lifecycle_tokens_requests_total{outcome=\"issued\"}")
                .contains("acs_lifecycle_tokens_requests_total{outcome=\"unauthenticated\"}")
                .contains("acs_lifecycle_tokens_latency_seconds");
    }

    @Test
    void neitherTheAcsTokenNorTheCallersTokenAppearsInAnyLogLine() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %mdc %msg %ex%n");
        encoder.start();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
        capture.setContext(context);
        capture.setEncoder(encoder);
        capture.setOutputStream(logged);
        capture.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        root.addAppender(capture);
        context.getLogger("org.acslifecycle").setLevel(Level.DEBUG);
        List<String> secrets = new ArrayList<>();
        try {
            String alice = activePerson();
            String caller = issuer.tokenFor(alice);
            secrets.add(caller);
            HttpResponse<String> issued = askAs(caller);
            secrets.add(json(issued).path("token").asText());
            String forged = TestIssuer.sign(TestIssuer.newKey(), issuer.key.getKeyID(),
                    TestIssuer.validClaims().claim(TestIssuer.USER_CLAIM, alice).build());
            secrets.add(forged);
            askAs(forged);
            askAs(caller, "someone-else");
            acs.faults().setWrongKeyMode(true);
            askAs(caller);
            acs.faults().setWrongKeyMode(false);
            lifecycle.handle(event(SUSPENDED, alice, 1));
            askAs(caller);
        } finally {
            root.detachAppender(capture);
            root.setLevel(rootLevel);
            context.getLogger("org.acslifecycle").setLevel(null);
        }
        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the capture saw the token service").contains("Issued a token").contains("Token request refused");
        for (String secret : secrets) {
            assertThat(secret).hasSizeGreaterThan(100);
            assertThat(log).doesNotContain(secret);
            // Nor any signature, the part of a JWT that makes it usable.
            assertThat(log).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
        }
    }
}
