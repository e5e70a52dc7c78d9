package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Identity API: routes a request to its operation, runs the checks in the order the service's pipeline
 * plausibly has them (injected faults, api-version, authentication, quota, validation), performs it on the
 * {@link IdentityStore} and shapes the answer with the service's status codes and headers. Every answered request is
 * counted per operation and status.
 */
final class IdentityApi {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityApi.class);

    private static final Pattern ACTION = Pattern.compile("^/identities/([^/]+)/:(issueAccessToken|revokeAccessTokens)/?$");
    private static final Pattern IDENTITY = Pattern.compile("^/identities/([^/]+)/?$");
    private static final Pattern ACS_ID = Pattern.compile(
            "^8:acs:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})_(.+)$");
    private static final Set<String> BASE_SCOPES = Set.of("chat", "voip");
    private static final Set<String> JOIN_SCOPES = Set.of("chat.join", "chat.join.limited", "voip.join");
    private static final long DEFAULT_EXPIRY_MINUTES = 1440;
    /** 7 fractional digits and an offset, like {@code 2020-09-10T21:39:39.3244584+00:00}. */
    private static final DateTimeFormatter EXPIRES_ON =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSxxx").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;
    private final UUID resourceId;
    private final IdentityStore store;
    private final RepeatableRequests repeatables;
    private final HmacAuthenticator authenticator;
    private final QuotaLimiter quotas;
    private final Faults faults;
    private final CallCounter counter;
    private final AcsEmulatorConfig.UnknownIdentityBehaviour unknown;
    private final Random random;
    private final Clock clock;

    IdentityApi(ObjectMapper json, UUID resourceId, IdentityStore store, RepeatableRequests repeatables,
            HmacAuthenticator authenticator,
            QuotaLimiter quotas, Faults faults, CallCounter counter,
            AcsEmulatorConfig.UnknownIdentityBehaviour unknown, Random random, Clock clock) {
        this.json = json;
        this.resourceId = resourceId;
        this.store = store;
        this.repeatables = repeatables;
        this.authenticator = authenticator;
        this.quotas = quotas;
        this.faults = faults;
        this.counter = counter;
        this.unknown = unknown;
        this.random = random;
        this.clock = clock;
    }

    Reply handle(EmulatorRequest request, String requestUriForErrors) {
        Route route = route(request);
        Reply reply;
        try {
            sleep(faults.latency());
            Optional<AcsFailure> injected = faults.decide(request.receivedAt());
            if (injected.isPresent()) {
                throw injected.get();
            }
            if (route.operation() == Operation.UNKNOWN) {
                throw route.methodMismatch() ? AcsErrors.methodNotAllowed() : AcsErrors.routeNotFound();
            }
            String version = request.queryParameter("api-version").orElseThrow(AcsErrors::apiVersionMissing);
            if (!ApiVersions.supported(version)) {
                throw AcsErrors.unsupportedApiVersion(requestUriForErrors, version);
            }
            authenticator.authenticate(request);
            Optional<Duration> wait = quotas.tryAcquire(route.operation(), request.receivedAt());
            if (wait.isPresent()) {
                throw AcsErrors.tooManyRequests(Math.max(1, (wait.get().toMillis() + 999) / 1000));
            }
            reply = perform(route, request, version);
            if (faults.loseAnswer()) {
                reply = error(AcsErrors.answerLost(), request);
            }
        } catch (AcsFailure failure) {
            reply = error(failure, request);
        } catch (RuntimeException bug) {
            // An emulator bug must still look like a service answer (and be counted), not a dropped connection.
            LOG.error("ACS emulator failed on {} {}: {}", request.method(), request.rawPath(), bug.toString());
            reply = error(AcsErrors.internalError(), request);
        }
        counter.record(route.operation(), reply.status());
        request.header("traceparent").ifPresent(counter::traceparent);
        return reply;
    }

    private Reply perform(Route route, EmulatorRequest request, String version) {
        Instant now = request.receivedAt();
        switch (route.operation()) {
            case CREATE_IDENTITY, CREATE_IDENTITY_WITH_TOKEN -> {
                Optional<RepeatableRequests.Repeatable> repeatable = RepeatableRequests.of(request);
                if (repeatable.isEmpty()) {
                    return create(request, version);
                }
                RepeatableRequests.Outcome outcome = repeatables.once(repeatable.get(), request.body(), now,
                        () -> create(request, version));
                Map<String, String> headers = new LinkedHashMap<>(outcome.reply().headers());
                if (outcome.replayed()) {
                    // The first answer's status and body; this request's own MS-CV, timing and client request id.
                    headers.putAll(commonHeaders(request));
                }
                headers.put(RepeatableRequests.RESULT, "accepted");
                return new Reply(outcome.reply().status(), headers, outcome.reply().body());
            }
            case ISSUE_TOKEN -> {
                String id = ownedIdentity(route.identityId());
                WireModels.IssueRequest body = parse(request.body(), WireModels.IssueRequest.class)
                        .orElseThrow(AcsErrors::scopesRequired);
                if (body.scopes() == null) {
                    throw AcsErrors.scopesRequired();
                }
                if (body.scopes().isEmpty()) {
                    throw AcsErrors.scopesEmpty();
                }
                List<String> scopes = validScopes(body.scopes(), version);
                long minutes = expiryMinutes(body.expiresInMinutes(), version);
                if (store.presence(id) != IdentityStore.Presence.ACTIVE) {
                    throw AcsErrors.identityNotFound();
                }
                return ok(200, tokenBody(store.issue(id, scopes, minutes, now)), request);
            }
            case REVOKE_TOKENS -> {
                String id = ownedIdentity(route.identityId());
                IdentityStore.Presence found = store.revoke(id, now);
                if (found != IdentityStore.Presence.ACTIVE && unknown.revokeMissingStatus() == 404) {
                    throw AcsErrors.identityNotFound();
                }
                return noContent(request);
            }
            case DELETE_IDENTITY -> {
                String id = ownedIdentity(route.identityId());
                IdentityStore.Presence found = store.delete(id, now);
                int status = switch (found) {
                    case ACTIVE -> 204;
                    case DELETED -> unknown.repeatedDeleteStatus();
                    case NEVER_CREATED -> unknown.deleteNeverCreatedStatus();
                };
                if (status == 404) {
                    throw AcsErrors.identityNotFound();
                }
                return noContent(request);
            }
            default -> throw AcsErrors.routeNotFound();
        }
    }

    private Reply create(EmulatorRequest request, String version) {
        Instant now = request.receivedAt();
        WireModels.CreateRequest body = parse(request.body(), WireModels.CreateRequest.class)
                .orElse(WireModels.CreateRequest.EMPTY);
        List<String> scopes = body.wantsToken() ? validScopes(body.createTokenWithScopes(), version) : null;
        long minutes = expiryMinutes(body.expiresInMinutes(), version);
        String id = store.create(now);
        WireModels.AccessTokenBody token = scopes == null ? null
                : tokenBody(store.issue(id, scopes, minutes, now));
        return ok(201, new WireModels.CreateResponse(new WireModels.IdentityBody(id), token), request);
    }

    private String ownedIdentity(String rawId) {
        String id = URLDecoder.decode(rawId.replace("+", "%2B"), StandardCharsets.UTF_8);
        Matcher m = ACS_ID.matcher(id);
        if (!m.matches()) {
            throw AcsErrors.malformedIdentity();
        }
        if (!UUID.fromString(m.group(1)).equals(resourceId)) {
            throw AcsErrors.identityNotOwned();
        }
        return id;
    }

    private static List<String> validScopes(List<String> scopes, String version) {
        for (String scope : scopes) {
            boolean known = scope != null && BASE_SCOPES.contains(scope)
                    || (ApiVersions.hasJoinScopes(version) && JOIN_SCOPES.contains(scope));
            if (!known) {
                throw AcsErrors.scopeNotSupported(scope);
            }
        }
        return List.copyOf(scopes);
    }

    private static long expiryMinutes(Integer requested, String version) {
        if (requested == null || !ApiVersions.hasCustomExpiry(version)) {
            return DEFAULT_EXPIRY_MINUTES;
        }
        if (requested < 60 || requested > 1440) {
            throw AcsErrors.expiresInMinutesOutOfRange(requested);
        }
        return requested;
    }

    /** Empty body → empty; otherwise the JSON, or 400 when it is not the operation's model. */
    private <T> Optional<T> parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.readValue(body, type));
        } catch (IOException e) {
            throw AcsErrors.malformedBody();
        }
    }

    private static WireModels.AccessTokenBody tokenBody(MintedToken token) {
        return new WireModels.AccessTokenBody(token.token(), EXPIRES_ON.format(token.expiresOn()));
    }

    private Reply ok(int status, Object body, EmulatorRequest request) {
        Map<String, String> headers = commonHeaders(request);
        headers.put("Content-Type", "application/json; charset=utf-8");
        return new Reply(status, headers, bytes(body));
    }

    private Reply noContent(EmulatorRequest request) {
        return new Reply(204, commonHeaders(request), new byte[0]);
    }

    private Reply error(AcsFailure failure, EmulatorRequest request) {
        Map<String, String> headers = commonHeaders(request);
        headers.putAll(failure.headers());
        headers.put("Content-Type", "application/json");
        WireModels.ErrorEnvelope body = new WireModels.ErrorEnvelope(
                new WireModels.ErrorDetail(failure.code(), failure.getMessage(), failure.target()));
        return new Reply(failure.status(), headers, bytes(body));
    }

    /** The headers the service sends on every answer (ACS note §3.2). */
    private Map<String, String> commonHeaders(EmulatorRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("api-supported-versions", ApiVersions.HEADER_VALUE);
        byte[] cv = new byte[16];
        random.nextBytes(cv);
        headers.put("MS-CV", Base64.getEncoder().encodeToString(cv).replace("=", "") + ".0");
        headers.put("Strict-Transport-Security", "max-age=2592000");
        headers.put("X-Processing-Time", Math.max(1, Duration.between(request.receivedAt(), clock.instant())
                .abs().toMillis()) + "ms");
        request.header("x-ms-client-request-id").ifPresent(id -> headers.put("x-ms-client-request-id", id));
        return headers;
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise reply", e);
        }
    }

    private static void sleep(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Which operation a request is, known before any check so that every request can be counted. */
    private Route route(EmulatorRequest request) {
        String path = request.rawPath();
        String method = request.method();
        if (path.equals("/identities") || path.equals("/identities/")) {
            if (!method.equals("POST")) {
                return Route.methodNotAllowed();
            }
            boolean withToken;
            try {
                withToken = request.body().length > 0
                        && json.readValue(request.body(), WireModels.CreateRequest.class).wantsToken();
            } catch (IOException | RuntimeException e) {
                withToken = false;
            }
            return new Route(withToken ? Operation.CREATE_IDENTITY_WITH_TOKEN : Operation.CREATE_IDENTITY, null,
                    false);
        }
        Matcher action = ACTION.matcher(path);
        if (action.matches()) {
            if (!method.equals("POST")) {
                return Route.methodNotAllowed();
            }
            Operation op = action.group(2).equals("issueAccessToken") ? Operation.ISSUE_TOKEN
                    : Operation.REVOKE_TOKENS;
            return new Route(op, action.group(1), false);
        }
        Matcher identity = IDENTITY.matcher(path);
        if (identity.matches()) {
            // GET /identities/{id} exists only in 2025 versions, which Java 1.4.10 cannot call; not served.
            return method.equals("DELETE") ? new Route(Operation.DELETE_IDENTITY, identity.group(1), false)
                    : Route.methodNotAllowed();
        }
        return new Route(Operation.UNKNOWN, null, false);
    }

    private record Route(Operation operation, String identityId, boolean methodMismatch) {
        static Route methodNotAllowed() {
            return new Route(Operation.UNKNOWN, null, true);
        }
    }
}
