package org.acslifecycle.emulators.entra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.acslifecycle.emulators.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Microsoft Entra ID authority over HTTPS on 127.0.0.1, enough for {@code azure-identity}'s
 * {@code ClientSecretCredential} (MSAL4J) pointed at it with {@code authorityHost(...)} and
 * {@code disableInstanceDiscovery()}: the OAuth 2.0 client-credentials grant at
 * {@code POST /{tenant}/oauth2/v2.0/token}, the tenant's OpenID configuration, its JWKS, and instance discovery.
 *
 * <p>Tokens are RS256 JWTs signed with a key made at start: {@code aud} is the resource of the requested
 * {@code <resource>/.default} scope without trailing slashes ({@code https://communication.azure.com//.default} →
 * {@code https://communication.azure.com}), {@code iss} is {@link #issuer()}, {@code appid}/{@code azp} the client
 * id, {@code sub}/{@code oid} a stable id of the application's service principal. Errors have Entra's shape
 * ({@code error}, {@code error_description} with an AADSTS code, {@code error_codes}). Client secrets are compared
 * in constant time and never logged; {@link #requests()} records what clients asked for (paths, form field names,
 * the grant type, scope and claims), never a secret.
 */
public final class EntraEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EntraEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntraEmulatorConfig config;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final TlsMaterial tls;
    private final RSAKey signingKey;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private EntraEmulator(EntraEmulatorConfig config, HttpsServer server, ExecutorService executor, TlsMaterial tls,
            RSAKey signingKey) {
        this.config = config;
        this.server = server;
        this.executor = executor;
        this.tls = tls;
        this.signingKey = signingKey;
    }

    /** Makes a signing key and a TLS certificate, binds 127.0.0.1 and starts serving. */
    public static EntraEmulator start(EntraEmulatorConfig config) {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the Entra emulator's signing key", e);
        }
        TlsMaterial tls = TlsMaterial.create(null, null, null, "Entra ID Emulator", config.clock());
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "entra-emulator");
            t.setDaemon(true);
            return t;
        });
        try {
            HttpsServer server = HttpsServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
            server.setExecutor(executor);
            EntraEmulator emulator = new EntraEmulator(config, server, executor, tls, key);
            server.createContext("/", emulator::handle);
            server.start();
            LOG.info("Entra ID emulator listening on {} (tenant {}, certificate {})", emulator.authorityHost(),
                    config.tenantId(), tls.certificatePem());
            return emulator;
        } catch (IOException e) {
            executor.shutdownNow();
            tls.close();
            throw new UncheckedIOException("cannot bind the Entra ID emulator to 127.0.0.1:" + config.port(), e);
        }
    }

    /** {@code https://127.0.0.1:PORT/}: what {@code authorityHost(...)} takes. */
    public URI authorityHost() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public String tenantId() {
        return config.tenantId();
    }

    /** The registered applications' client ids, sorted. */
    public List<String> clientIds() {
        return config.clients().keySet().stream().sorted().toList();
    }

    /** The {@code iss} of every token: {@code https://127.0.0.1:PORT/{tenant}/v2.0}. */
    public String issuer() {
        return base() + "/v2.0";
    }

    public URI jwksUri() {
        return URI.create(base() + "/discovery/v2.0/keys");
    }

    /** The PEM file with the emulator's TLS certificate: the one certificate a client should trust for it. */
    public Path certificatePem() {
        return tls.certificatePem();
    }

    /** What a resource needs to trust this issuer. */
    public TrustedIssuer trustedIssuer() {
        return new TrustedIssuer(issuer(), jwksUri(), certificatePem());
    }

    /**
     * Every request received, in order, as {@code METHOD /path[?query]} plus, for a form post, its field names
     * (sorted) and the {@code grant_type}, {@code scope} and {@code claims} values. Never a secret.
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** A token for {@code clientId} and {@code audience} valid from now for {@code lifetime} (tests, tools). */
    public String mint(String clientId, String audience, Duration lifetime) {
        return sign(clientId, audience, config.clock().instant(), lifetime);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        tls.close();
    }

    private String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/" + config.tenantId();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> form = "POST".equals(method) ? form(new String(body, StandardCharsets.UTF_8)) : Map.of();
            String seen = method + " " + path + (query == null ? "" : "?" + query)
                    + (form.isEmpty() ? "" : " form" + new java.util.TreeSet<>(form.keySet()) + " grant_type="
                            + form.get("grant_type") + " scope=" + form.get("scope")
                            + (form.containsKey("claims") ? " claims=" + form.get("claims") : ""));
            requests.add(seen);
            // Entra echoes the client's correlation id; MSAL4J checks it.
            exchange.getRequestHeaders().getOrDefault("client-request-id", List.of()).stream().findFirst()
                    .ifPresent(id -> exchange.getResponseHeaders().set("client-request-id", id));
            LOG.debug("Entra emulator: {}", seen);
            String tenantPrefix = "/" + config.tenantId();
            if ("GET".equals(method) && path.endsWith("/discovery/instance")) {
                reply(exchange, 200, instanceDiscovery());
            } else if ("GET".equals(method) && path.equals(tenantPrefix + "/v2.0/.well-known/openid-configuration")) {
                reply(exchange, 200, openIdConfiguration());
            } else if ("GET".equals(method) && path.equals(tenantPrefix + "/discovery/v2.0/keys")) {
                reply(exchange, 200, new JWKSet(signingKey.toPublicJWK()).toJSONObject(true));
            } else if ("POST".equals(method) && path.endsWith("/oauth2/v2.0/token")) {
                if (!path.equals(tenantPrefix + "/oauth2/v2.0/token")) {
                    reply(exchange, 400, error("invalid_request", 90002, "Tenant '" + path.split("/")[1]
                            + "' not found. Check to make sure you have the correct tenant ID."));
                } else {
                    token(exchange, form);
                }
            } else {
                reply(exchange, 404, error("not_found", 0, "No such endpoint on the Entra ID emulator: " + path));
            }
        }
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!"client_credentials".equals(form.get("grant_type"))) {
            reply(exchange, 400, error("unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + form.get("grant_type") + "'."));
            return;
        }
        String clientId = form.get("client_id");
        String expected = clientId == null ? null : config.clients().get(clientId);
        if (expected == null) {
            reply(exchange, 400, error("unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + config.tenantId() + "'."));
            return;
        }
        String presented = form.getOrDefault("client_secret", "");
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            reply(exchange, 401, error("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                    + "being sent in the request is the client secret value, not the client secret ID, for a secret "
                    + "added to app '" + clientId + "'."));
            return;
        }
        String audience = audience(form.getOrDefault("scope", ""));
        if (audience == null) {
            reply(exchange, 400, error("invalid_scope", 1002012, "The provided value for scope '" + form.get("scope")
                    + "' is not valid. Client credential flows must have a scope value with /.default suffixed to "
                    + "the resource identifier (application ID URI)."));
            return;
        }
        Instant now = config.clock().instant();
        long lifetime = config.tokenLifetime().toSeconds();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("token_type", "Bearer");
        response.put("expires_in", lifetime);
        response.put("ext_expires_in", lifetime);
        response.put("access_token", sign(clientId, audience, now, config.tokenLifetime()));
        reply(exchange, 200, response);
    }

    /** The resource of the one {@code …/.default} scope, trailing slashes removed; {@code null} if not exactly one. */
    static String audience(String scope) {
        List<String> resources = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (s.endsWith("/.default")) {
                resources.add(s.substring(0, s.length() - "/.default".length()).replaceAll("/+$", ""));
            } else if (!s.isEmpty() && !List.of("openid", "profile", "offline_access").contains(s)) {
                return null;
            }
        }
        return resources.size() == 1 && !resources.get(0).isEmpty() ? resources.get(0) : null;
    }

    private String sign(String clientId, String audience, Instant now, Duration lifetime) {
        String principal = UUID.nameUUIDFromBytes((config.tenantId() + "/" + clientId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(audience)
                .subject(principal)
                .claim("oid", principal)
                .claim("tid", config.tenantId())
                .claim("appid", clientId)
                .claim("azp", clientId)
                .claim("idtyp", "app")
                .claim("ver", "2.0")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(signingKey.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    private Map<String, Object> openIdConfiguration() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer());
        body.put("token_endpoint", base() + "/oauth2/v2.0/token");
        body.put("authorization_endpoint", base() + "/oauth2/v2.0/authorize");
        body.put("device_authorization_endpoint", base() + "/oauth2/v2.0/devicecode");
        body.put("jwks_uri", jwksUri().toString());
        body.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "private_key_jwt"));
        body.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
        body.put("subject_types_supported", List.of("pairwise"));
        body.put("id_token_signing_alg_values_supported", List.of("RS256"));
        body.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        body.put("tenant_region_scope", "EU");
        return body;
    }

    private Map<String, Object> instanceDiscovery() {
        String host = authorityHost().getAuthority();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_discovery_endpoint", base() + "/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        body.put("metadata", List.of(Map.of("preferred_network", host, "preferred_cache", host,
                "aliases", List.of(host))));
        return body;
    }

    private static Map<String, Object> error(String code, int aadsts, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", (aadsts > 0 ? "AADSTS" + aadsts + ": " : "") + description);
        body.put("error_codes", aadsts > 0 ? List.of(aadsts) : List.of());
        body.put("timestamp", Instant.now().toString());
        body.put("trace_id", UUID.randomUUID().toString());
        body.put("correlation_id", UUID.randomUUID().toString());
        return body;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
