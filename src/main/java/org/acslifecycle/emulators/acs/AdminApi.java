package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Admin and inspection endpoints under {@code /emulator/}: not part of the ACS API, not HMAC-protected (the emulator
 * binds 127.0.0.1 only), never fault-injected or counted. They mirror the Java API of {@link AcsIdentityEmulator}.
 *
 * <pre>
 * GET    /emulator/identities           identities, deleted ones with deletedAt
 * GET    /emulator/tokens               minted tokens' metadata and status (never the token)
 * POST   /emulator/tokens/inspect       {"token":"…"} → {"status":"VALID|REVOKED|IDENTITY_DELETED|…",…}
 * GET    /emulator/calls                request counts per operation and status
 * DELETE /emulator/calls                reset the counts
 * GET    /emulator/faults               {"plan":{…},"wrongKeyMode":false}
 * PUT    /emulator/faults               replace the plan (FaultPlan JSON)
 * DELETE /emulator/faults               clear plan, scripted faults and wrong-key mode
 * POST   /emulator/faults/next          {"count":2,"status":503,"retryAfterSeconds":1}
 * POST   /emulator/faults/delay-next    {"count":1,"millis":1500}
 * POST   /emulator/faults/lose-next     {"count":1}   (the work is done, the answer is a 503)
 * POST   /emulator/faults/outage        {"seconds":10}
 * PUT    /emulator/faults/wrong-key     {"enabled":true}
 * </pre>
 */
final class AdminApi {

    static final String PREFIX = "/emulator/";

    private final ObjectMapper json;
    private final IdentityStore store;
    private final Faults faults;
    private final CallCounter counter;
    private final Clock clock;

    AdminApi(ObjectMapper json, IdentityStore store, Faults faults, CallCounter counter, Clock clock) {
        this.json = json;
        this.store = store;
        this.faults = faults;
        this.counter = counter;
        this.clock = clock;
    }

    Reply handle(EmulatorRequest request) {
        String path = request.rawPath().substring(PREFIX.length() - 1);
        String route = request.method() + " " + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        try {
            return switch (route) {
                case "GET /identities" -> ok(store.identities());
                case "GET /tokens" -> ok(store.tokens(clock.instant()));
                case "POST /tokens/inspect" -> ok(store.inspect(read(request, TokenToInspect.class).token(),
                        clock.instant()));
                case "GET /calls" -> ok(counter.snapshot());
                case "DELETE /calls" -> {
                    counter.reset();
                    yield noContent();
                }
                case "GET /faults" -> ok(new FaultState(faults.plan(), faults.wrongKeyMode()));
                case "PUT /faults" -> {
                    faults.setPlan(read(request, FaultPlan.class));
                    yield ok(new FaultState(faults.plan(), faults.wrongKeyMode()));
                }
                case "DELETE /faults" -> {
                    faults.clear();
                    yield noContent();
                }
                case "POST /faults/next" -> {
                    ScriptedFaults next = read(request, ScriptedFaults.class);
                    faults.failNext(next.count(), next.status(), next.retryAfterSeconds());
                    yield noContent();
                }
                case "POST /faults/delay-next" -> {
                    ScriptedDelays next = read(request, ScriptedDelays.class);
                    faults.delayNext(next.count(), Duration.ofMillis(next.millis()));
                    yield noContent();
                }
                case "POST /faults/lose-next" -> {
                    faults.loseNextAnswers(read(request, LostAnswers.class).count());
                    yield noContent();
                }
                case "POST /faults/outage" -> {
                    faults.startOutage(Duration.ofSeconds(read(request, OutageRequest.class).seconds()));
                    yield ok(new FaultState(faults.plan(), faults.wrongKeyMode()));
                }
                case "PUT /faults/wrong-key" -> {
                    faults.setWrongKeyMode(read(request, WrongKeyRequest.class).enabled());
                    yield ok(new FaultState(faults.plan(), faults.wrongKeyMode()));
                }
                default -> error(404, "NotFound", "No admin endpoint " + route.replaceAll("[^ -~]", "?") + ".");
            };
        } catch (IllegalArgumentException e) {
            return error(400, "BadRequest", e.getMessage());
        }
    }

    record TokenToInspect(String token) {
        @Override
        public String toString() {
            return "TokenToInspect[token=<redacted>]";
        }
    }

    record ScriptedFaults(int count, int status, int retryAfterSeconds) {
    }

    record LostAnswers(int count) {
    }

    record ScriptedDelays(int count, long millis) {
    }

    record OutageRequest(long seconds) {
    }

    record WrongKeyRequest(boolean enabled) {
    }

    record FaultState(FaultPlan plan, boolean wrongKeyMode) {
    }

    private <T> T read(EmulatorRequest request, Class<T> type) {
        try {
            T value = json.readValue(request.body(), type);
            if (value == null) {
                throw new IllegalArgumentException("a JSON body is required");
            }
            return value;
        } catch (IOException e) {
            // Jackson wraps record-constructor checks; their message says what is wrong, without echoing the body.
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("invalid body for " + type.getSimpleName() + ": "
                    + (cause == e ? "not the expected JSON" : cause.getMessage()));
        }
    }

    private Reply ok(Object body) {
        return new Reply(200, Map.of("Content-Type", "application/json; charset=utf-8"), bytes(body));
    }

    private static Reply noContent() {
        return new Reply(204, Map.of(), new byte[0]);
    }

    private Reply error(int status, String code, String message) {
        return new Reply(status, Map.of("Content-Type", "application/json"),
                bytes(new WireModels.ErrorEnvelope(new WireModels.ErrorDetail(code, message, null))));
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise admin reply", e);
        }
    }
}
