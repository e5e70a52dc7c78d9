package org.acslifecycle.app.tokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import org.acslifecycle.core.TokenIssuance;
import org.acslifecycle.core.TraceContext;
import org.acslifecycle.tracing.Tracing;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.LedgerFailure;
import org.acslifecycle.core.port.PendingTerminations;
import org.acslifecycle.identity.AcsPacing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token service's HTTP edge (DESIGN §6): {@code POST /v1/tokens} on a port of its own, on the JDK's HTTP
 * server like the health endpoint. Plain HTTP: in production TLS is terminated in front of it (the Container
 * App's ingress, see {@code infra/} and docs/operations.md); locally it listens on 127.0.0.1.
 *
 * <p>Every request is authenticated before its body is read; every answer but 200 is an RFC 9457 problem.
 */
public final class TokenServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenServer.class);

    static final String PATH = "/v1/tokens";
    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final CallerAuthenticator authenticator;
    private final TokenIssuance issuance;
    private final MeterRegistry registry;
    private final Tracing tracing;

    private TokenServer(TokenServiceSettings settings, CallerAuthenticator authenticator, TokenIssuance issuance,
            MeterRegistry registry, Tracing tracing) throws IOException {
        this.tracing = tracing;
        this.authenticator = authenticator;
        this.issuance = issuance;
        this.registry = registry;
        server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        // Each request blocks on the ledger and on ACS (tens of ms); this many run at once.
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "token-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts the service.
     *
     * @param acsCircuitOpen whether ACS calls are suspended now (answered 503 at once); {@code () -> false} if
     *                       nothing tracks that
     */
    public static TokenServer start(TokenServiceSettings settings, Ledger ledger, AccessTokens tokens, IssueBudget budget,
            PendingTerminations terminations, BooleanSupplier acsCircuitOpen, MeterRegistry registry, Clock clock)
            throws IOException {
        return start(settings, ledger, tokens, budget, terminations, acsCircuitOpen, registry, clock, Tracing.off());
    }

    /** Same, each request a server span continuing the caller's W3C {@code traceparent} header. */
    public static TokenServer start(TokenServiceSettings settings, Ledger ledger, AccessTokens tokens, IssueBudget budget,
            PendingTerminations terminations, BooleanSupplier acsCircuitOpen, MeterRegistry registry, Clock clock,
            Tracing tracing) throws IOException {
        TokenIssuance issuance = new TokenIssuance(ledger, tokens, budget, terminations, acsCircuitOpen, clock);
        return new TokenServer(settings, new CallerAuthenticator(settings.auth(), clock), issuance, registry, tracing);
    }

    /**
     * The worker's token service, if {@code tokens.port} is configured: on the worker's ledger and ACS adapter,
     * with an issue budget of {@code acs.pacing.issue-token} per {@code acs.pacing.window}, no pending
     * terminations yet (the ledger records none) and no ACS circuit to consult yet.
     */
    /**
     * @param budget      the issue-token budget every replica and the CLI share
     * @param circuitOpen whether the executor's ACS circuit is open: then requests are answered 503 at once
     */
    public static Optional<TokenServer> startIfConfigured(Optional<TokenServiceSettings> settings, Ledger ledger,
            AccessTokens tokens, IssueBudget budget, PendingTerminations terminations,
            java.util.function.BooleanSupplier circuitOpen, MeterRegistry registry, Clock clock, Tracing tracing) {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        TokenServer server;
        try {
            server = start(settings.get(), ledger, tokens, budget, terminations, circuitOpen, registry, clock, tracing);
        } catch (IOException e) {
            // Named here, so that a taken port is not reported as some other endpoint's failure.
            throw new java.io.UncheckedIOException("cannot start the token service on " + settings.get().host() + ":"
                    + settings.get().port() + " (tokens.port): " + e.getMessage(), e);
        }
        LOG.info("Token service on http://{}:{}{} (issuer {})", settings.get().host(), server.port(), PATH,
                settings.get().auth().issuer());
        return Optional.of(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String outcome = "internal-error";
        // A fixed name: the method and path are the caller's input (their attributes may vary, the name may not).
        Span span = tracing.start("token request", SpanKind.SERVER, TraceContext.parse(
                exchange.getRequestHeaders().getFirst("traceparent"), exchange.getRequestHeaders().getFirst("tracestate")));
        try (Scope scope = Tracing.enter(span)) {
            span.setAttribute("http.request.method", exchange.getRequestMethod());
            outcome = serve(exchange);
        } catch (RuntimeException e) {
            LOG.error("Token service failed on a request: {}", e.getClass().getName());
            LOG.debug("Token service failure", e);
            try {
                outcome = problem(exchange, Problem.of(Problem.Kind.INTERNAL_ERROR, "the request could not be completed"));
            } catch (IOException | RuntimeException alreadyAnswering) {
                // The failure came after the answer began: the connection is closed below, nothing more to say.
            }
        } finally {
            span.setAttribute("acs_lifecycle.tokens.outcome", outcome);
            span.end();
            exchange.close();
            Counter.builder("acs.lifecycle.tokens.requests").tag("outcome", outcome)
                    .description("Token service requests by outcome (issued, or the problem's reason)")
                    .register(registry).increment();
            Timer.builder("acs.lifecycle.tokens.latency").tag("outcome", outcome)
                    .description("Token service request latency by outcome").publishPercentiles(0.5, 0.99)
                    .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Answers one request; returns the outcome's name for the metrics. */
    private String serve(HttpExchange exchange) throws IOException {
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            return problem(exchange, Problem.of(Problem.Kind.NOT_FOUND, "the token service serves POST " + PATH));
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            return problem(exchange, Problem.of(Problem.Kind.METHOD_NOT_ALLOWED, "use POST " + PATH));
        }
        TokenIssuance.Caller caller;
        try {
            caller = authenticator.authenticate(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")));
        } catch (CallerAuthenticator.Unauthenticated e) {
            LOG.debug("Token request refused: {}", e.getMessage());
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return problem(exchange, Problem.of(Problem.Kind.UNAUTHENTICATED, e.getMessage()));
        } catch (CallerAuthenticator.KeysUnavailable e) {
            LOG.warn("Token request not served: {}", e.getMessage());
            return problem(exchange, Problem.of(Problem.Kind.ISSUER_KEYS_UNAVAILABLE, e.getMessage()));
        }
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return problem(exchange, Problem.of(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json"));
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            return problem(exchange, Problem.of(Problem.Kind.REQUEST_TOO_LARGE, "at most " + MAX_BODY_BYTES + " bytes"));
        }
        TokenRequestBody request;
        try {
            request = TokenRequestBody.parse(MAPPER, body);
        } catch (TokenRequestBody.Invalid e) {
            return problem(exchange, Problem.of(e.kind, e.getMessage()));
        }
        TokenIssuance.Outcome outcome;
        try {
            outcome = issuance.issue(new TokenIssuance.Request(caller, request.externalId(), request.token()));
        } catch (LedgerFailure e) {
            LOG.warn("Token request not served: the ledger failed ({})", e.getMessage());
            return problem(exchange, Problem.of(Problem.Kind.LEDGER_UNAVAILABLE, "the ledger cannot be read now"));
        }
        if (outcome instanceof TokenIssuance.Issued issued) {
            LOG.debug("Issued a token for {} to {}, expires {}", issued.externalId(), caller.id(), issued.token().expiresOn());
            ObjectNode json = MAPPER.createObjectNode();
            json.put("acsUserId", issued.acsUserId());
            json.put("token", issued.token().token());
            json.put("expiresOn", issued.token().expiresOn().toString());
            // A bearer token in a response: no cache may keep it (RFC 6749 §5.1).
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            respond(exchange, 200, "application/json", MAPPER.writeValueAsBytes(json));
            return "issued";
        }
        TokenIssuance.Refusal refusal = (TokenIssuance.Refusal) outcome;
        Problem problem = problemFor(refusal);
        LOG.info("Token request refused ({}): {} (caller {})", problem.kind().name, refusal.detail(), caller.id());
        return problem(exchange, problem);
    }

    static Problem problemFor(TokenIssuance.Refusal refusal) {
        if (refusal instanceof TokenIssuance.BudgetExhausted budget) {
            return new Problem(Problem.Kind.ISSUE_BUDGET_EXHAUSTED, budget.detail(), Optional.of(budget.retryAfter()));
        }
        if (refusal instanceof TokenIssuance.AcsUnavailable acs) {
            return new Problem(acs.circuitOpen() ? Problem.Kind.ACS_CIRCUIT_OPEN : Problem.Kind.ACS_UNAVAILABLE,
                    acs.detail(), acs.retryAfter());
        }
        Problem.Kind kind;
        if (refusal instanceof TokenIssuance.NotActive) {
            kind = Problem.Kind.PERSON_NOT_ACTIVE;
        } else if (refusal instanceof TokenIssuance.NotAllowed) {
            kind = Problem.Kind.CALLER_NOT_ALLOWED;
        } else if (refusal instanceof TokenIssuance.NoIdentity) {
            kind = Problem.Kind.NO_IDENTITY;
        } else if (refusal instanceof TokenIssuance.TerminationImminent) {
            kind = Problem.Kind.TERMINATION_IMMINENT;
        } else if (refusal instanceof TokenIssuance.NoPerson) {
            kind = Problem.Kind.PERSON_REQUIRED;
        } else if (refusal instanceof TokenIssuance.AcsRejected) {
            kind = Problem.Kind.ACS_REJECTED;
        } else {
            throw new IllegalStateException("no problem type for " + refusal.getClass().getSimpleName());
        }
        return Problem.of(kind, refusal.detail());
    }

    private static String problem(HttpExchange exchange, Problem problem) throws IOException {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", problem.kind().type());
        json.put("title", problem.kind().title);
        json.put("status", problem.kind().status);
        json.put("detail", problem.detail());
        problem.retryAfter().ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        });
        respond(exchange, problem.kind().status, "application/problem+json", MAPPER.writeValueAsBytes(json));
        return problem.kind().metricName();
    }

    /** The body, or null if it is longer than {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
