package org.acslifecycle.identity;

import java.time.Instant;
import org.acslifecycle.core.port.AccessTokens.IdentityWithToken;
import org.acslifecycle.core.port.AccessTokens.IssuedToken;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.emulators.acs.AcsEmulatorConfig;
import org.acslifecycle.emulators.acs.AcsIdentityEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every failure class, produced by the emulator and seen through the real SDK (one attempt, no retry). */
class FailureClassificationTest {

    private static AcsIdentityEmulator acs;
    private static AcsIdentityAdapter adapter;

    @BeforeAll
    static void start() {
        acs = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults());
        adapter = AcsIdentityAdapter.fromConfig(EmulatedAcs.config(acs, EmulatedAcs.singleAttempt()));
    }

    @AfterAll
    static void stop() {
        acs.close();
    }

    @BeforeEach
    void freshService() {
        acs.reset();
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void timeoutsThrottlingAndServerErrorsAreTransient(int status) {
        acs.faults().failNext(1, status, 0);

        assertThat(failureOf(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))).isInstanceOf(DirectoryFailure.Transient.class)
                .hasMessageContaining(Integer.toString(status));
    }

    @Test
    void aTransientFailureCarriesTheRetryAfterAcsSent() {
        acs.faults().failNext(1, 429, 3);

        DirectoryFailure failure = failureOf(() -> adapter.createIdentity(CreateRequest.first(Instant.now())));

        assertThat(failure).isInstanceOfSatisfying(DirectoryFailure.Transient.class,
                t -> assertThat(t.retryAfter()).hasValue(Duration.ofSeconds(3)));
        assertThat(failure.operation()).isEqualTo("createIdentity");
    }

    @Test
    void aValidationErrorIsPermanentWithTheAcsErrorCode() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));

        DirectoryFailure failure = failureOf(() -> adapter.issueToken(id, TokenRequest.of(List.of("chat.join"))));

        assertThat(failure).isInstanceOfSatisfying(DirectoryFailure.Permanent.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.errorCode()).isEqualTo("ValidationError");
        });
    }

    @Test
    void issuingATokenForADeletedIdentityIsPermanentIdentityNotFound() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));
        adapter.deleteIdentity(id);

        DirectoryFailure failure = failureOf(() -> adapter.issueToken(id, TokenRequest.of(List.of("chat"))));

        assertThat(failure).isInstanceOfSatisfying(DirectoryFailure.Permanent.class, p -> {
            assertThat(p.status()).isEqualTo(404);
            assertThat(p.errorCode()).isEqualTo("IdentityNotFound");
        });
    }

    @Test
    void aWrongAccessKeyIsSystemic() {
        acs.faults().setWrongKeyMode(true);

        assertThat(failureOf(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))).isInstanceOfSatisfying(DirectoryFailure.Systemic.class,
                s -> assertThat(s.status()).isEqualTo(401));
    }

    @Test
    void aForbiddenAnswerIsSystemic() {
        acs.faults().failNext(1, 403, 0);

        assertThat(failureOf(() -> adapter.createIdentity(CreateRequest.first(Instant.now())))).isInstanceOfSatisfying(DirectoryFailure.Systemic.class,
                s -> assertThat(s.status()).isEqualTo(403));
    }

    @Test
    void anIdentityOfAnotherResourceIsPermanentNotSystemic() {
        String foreign = "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000";

        assertThat(failureOf(() -> adapter.revokeTokens(foreign)))
                .isInstanceOfSatisfying(DirectoryFailure.Permanent.class, p -> {
                    assertThat(p.status()).isEqualTo(401);
                    assertThat(p.errorCode()).isEqualTo("IdentityNotOwned");
                });
    }

    @Test
    void aServerCertificateTheClientDoesNotTrustIsSystemic() {
        try (AcsIdentityEmulator other = AcsIdentityEmulator.start(AcsEmulatorConfig.defaults())) {
            AcsIdentityAdapter trustingTheOther = AcsIdentityAdapter.fromConfig(
                    AcsIdentityConfig.ofConnectionString(acs.connectionString())
                            .withTrustedCertificate(other.certificatePem())
                            .withRetry(EmulatedAcs.attempts(3)));

            assertThat(failureOf(() -> trustingTheOther.createIdentity(CreateRequest.first(Instant.now())))).isInstanceOf(DirectoryFailure.Systemic.class)
                    .hasMessageContaining("TLS");
            assertThat(acs.callCounts().total()).isZero();
        }
    }

    @Test
    void noFailureMessageContainsTheKeyTheConnectionStringOrAToken() {
        String id = adapter.createIdentity(CreateRequest.first(Instant.now()));
        String token = adapter.issueToken(id, TokenRequest.of(List.of("chat"))).token();
        acs.faults().setWrongKeyMode(true);
        DirectoryFailure denied = failureOf(() -> adapter.createIdentity(CreateRequest.first(Instant.now())));
        acs.faults().clear();
        acs.faults().failNext(1, 503, 1);
        DirectoryFailure unavailable = failureOf(() -> adapter.revokeTokens(id));
        DirectoryFailure invalid = failureOf(() -> adapter.issueToken(id, TokenRequest.of(List.of("nope"))));

        for (DirectoryFailure failure : List.of(denied, unavailable, invalid)) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()))
                        .doesNotContain(acs.accessKey())
                        .doesNotContain(acs.connectionString())
                        .doesNotContain(token);
            }
        }
        assertThat(EmulatedAcs.config(acs, EmulatedAcs.singleAttempt()).toString())
                .doesNotContain(acs.accessKey());
    }

    private static DirectoryFailure failureOf(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(DirectoryFailure.class);
        return (DirectoryFailure) thrown;
    }
}
