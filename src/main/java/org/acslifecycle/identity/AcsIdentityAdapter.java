package org.acslifecycle.identity;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.communication.identity.models.CommunicationUserIdentifierAndToken;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import org.acslifecycle.tracing.Tracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.IdentityDirectory;

/**
 * ACS Identity through {@code azure-communication-identity} 1.4.10: the core's {@link IdentityDirectory} plus the
 * token operations operators use from the CLI. Every method returns or throws a {@link DirectoryFailure}; retries
 * happen inside (see {@link AcsRetry}), the SDK's own are off.
 *
 * <p>A create carries the caller's {@link CreateRequest} as the {@code Repeatability-*} headers
 * ({@link RepeatabilityPolicy}), and every retry here sends the same pair, so a create whose answer was lost (5xx,
 * time-out) returns, when retried, the identity ACS made the first time, where ACS honours the headers. Where it
 * does not, a retry may leave an orphan; this adapter retries anyway by default, because failing the call instead
 * only moves the same retry to the journal, and logs a warning for every such retry (see
 * {@link RetrySettings#retryAmbiguousCreate()}).
 */
public final class AcsIdentityAdapter implements IdentityDirectory, AccessTokens {

    private final CommunicationIdentityClient client;
    private final AcsRetry retry;
    private final AcsPacing.Limiters pacing;
    private final AcsMetrics metrics;

    AcsIdentityAdapter(CommunicationIdentityClient client, AcsRetry retry, AcsPacing pacing, MeterRegistry registry) {
        this.client = client;
        this.retry = retry;
        this.pacing = pacing.limiters();
        this.metrics = new AcsMetrics(registry);
    }

    /** Builds the adapter and its SDK client from config (Entra ID through DefaultAzureCredential), unpaced. */
    public static AcsIdentityAdapter fromConfig(AcsIdentityConfig config) {
        return fromConfig(config, AcsPacing.unpaced(), new CompositeMeterRegistry());
    }

    /** The worker's adapter: paced under the ACS quotas, its calls measured in {@code registry}. */
    public static AcsIdentityAdapter fromConfig(AcsIdentityConfig config, AcsPacing pacing, MeterRegistry registry) {
        return new AcsIdentityAdapter(AcsClientFactory.build(config), retry(config), pacing, registry);
    }

    /**
     * The worker's adapter with the Entra ID credential it uses for an endpoint (no connection string); the
     * composition root makes that credential once for both SDKs. Not called with a connection string.
     */
    public static AcsIdentityAdapter fromConfig(AcsIdentityConfig config, Supplier<TokenCredential> entraCredential,
            AcsPacing pacing, MeterRegistry registry) {
        return fromConfig(config, entraCredential, pacing, registry, Tracing.off());
    }

    /** Same, each HTTP call a span of {@code tracing} (azure-core's OpenTelemetry plugin), child of the current one. */
    public static AcsIdentityAdapter fromConfig(AcsIdentityConfig config, Supplier<TokenCredential> entraCredential,
            AcsPacing pacing, MeterRegistry registry, Tracing tracing) {
        return new AcsIdentityAdapter(AcsClientFactory.build(config, entraCredential, tracing), retry(config), pacing,
                registry);
    }

    /** Same, with a given Entra ID credential for the endpoint mode (tests; other credential chains). */
    static AcsIdentityAdapter fromConfig(AcsIdentityConfig config, TokenCredential entraCredential) {
        return new AcsIdentityAdapter(AcsClientFactory.build(config, () -> entraCredential), retry(config),
                AcsPacing.unpaced(), new CompositeMeterRegistry());
    }

    /** One HTTP attempt: paced, measured, then retried as a whole by {@link AcsRetry}. */
    private <T> T call(String operation, boolean effectNotIdempotent, Supplier<T> attempt) {
        return retry.call(operation, effectNotIdempotent, () -> {
            pacing.acquire(operation);
            return metrics.timed(operation, attempt);
        });
    }

    private static AcsRetry retry(AcsIdentityConfig config) {
        return new AcsRetry(config.retry(), new FailureClassifier(new ObjectMapper()), System::nanoTime);
    }

    @Override
    public String createIdentity(CreateRequest request) {
        Context repeatable = RepeatabilityPolicy.context(request);
        return call("createIdentity", true, () -> client.createUserWithResponse(traced(repeatable)).getValue().getId());
    }

    @Override
    public Completion revokeTokens(String acsUserId) {
        CommunicationUserIdentifier user = user(acsUserId);
        return call("revokeTokens", false,
                () -> alreadyDoneOn404(() -> client.revokeTokensWithResponse(user, traced(Context.NONE))));
    }

    @Override
    public Completion deleteIdentity(String acsUserId) {
        CommunicationUserIdentifier user = user(acsUserId);
        return call("deleteIdentity", false,
                () -> alreadyDoneOn404(() -> client.deleteUserWithResponse(user, traced(Context.NONE))));
    }

    @Override
    public IssuedToken issueToken(String acsUserId, TokenRequest request) {
        CommunicationUserIdentifier user = user(acsUserId);
        List<CommunicationTokenScope> scopes = scopes(request);
        return call("issueToken", false,
                () -> issued(client.getTokenWithResponse(user, scopes, request.expiresIn(), traced(Context.NONE))
                        .getValue()));
    }

    @Override
    public IdentityWithToken createIdentityWithToken(CreateRequest create, TokenRequest request) {
        List<CommunicationTokenScope> scopes = scopes(request);
        Context repeatable = RepeatabilityPolicy.context(create);
        return call("createIdentityWithToken", true, () -> {
            CommunicationUserIdentifierAndToken result =
                    client.createUserAndTokenWithResponse(scopes, request.expiresIn(), traced(repeatable)).getValue();
            return new IdentityWithToken(result.getUser().getId(), issued(result.getUserToken()));
        });
    }

    /**
     * The call's context with the span current on this thread as its parent: the SDK's HTTP span then belongs to the
     * executor's (or token service's) trace whichever thread the SDK's pipeline runs on.
     */
    private static Context traced(Context context) {
        return context.addData(com.azure.core.util.tracing.Tracer.PARENT_TRACE_CONTEXT_KEY,
                io.opentelemetry.context.Context.current());
    }

    private static Completion alreadyDoneOn404(Runnable call) {
        try {
            call.run();
            return Completion.DONE;
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                // ACS says the identity is not there: the revoke/delete has nothing left to do (DESIGN §3).
                return Completion.ALREADY_DONE;
            }
            throw e;
        }
    }

    private static IssuedToken issued(AccessToken token) {
        return new IssuedToken(token.getToken(), token.getExpiresAt().toInstant());
    }

    private static List<CommunicationTokenScope> scopes(TokenRequest request) {
        return request.scopes().stream().map(CommunicationTokenScope::fromString).toList();
    }

    private static CommunicationUserIdentifier user(String acsUserId) {
        if (acsUserId == null || acsUserId.isBlank()) {
            throw new IllegalArgumentException("acsUserId is required");
        }
        return new CommunicationUserIdentifier(acsUserId);
    }
}
