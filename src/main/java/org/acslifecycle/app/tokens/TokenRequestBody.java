package org.acslifecycle.app.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;

/**
 * {@code {"scopes": ["chat", "voip"], "expiresInMinutes": 60, "externalId": "alice"}}, read strictly: an
 * unknown field, a wrong type or a value out of range is a 400 naming what is wrong, before anything else.
 */
record TokenRequestBody(TokenRequest token, Optional<String> externalId) {

    /** ACS's token scopes (api-versions 2022-10-01 and 2023-10-01). */
    static final Set<String> SCOPES = Set.of("chat", "voip", "chat.join", "chat.join.limited", "voip.join");

    /** When the body names no lifetime: the shortest ACS allows, so a suspension has the least to outlive. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(60);

    /** The event contract's rule for a subject (core.event.AttributeRules): the same ids, the same check. */
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9._@:+-]{1,256}");

    private static final Set<String> FIELDS = Set.of("scopes", "expiresInMinutes", "externalId");

    /** A body that is not a token request, and why (safe to show: it quotes no more than a field name). */
    static final class Invalid extends Exception {
        final Problem.Kind kind;

        Invalid(Problem.Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    static TokenRequestBody parse(ObjectMapper mapper, byte[] body) throws Invalid {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Invalid(Problem.Kind.INVALID_REQUEST, "the body is not JSON");
        } catch (java.io.IOException e) {
            throw new Invalid(Problem.Kind.INVALID_REQUEST, "the body cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(Problem.Kind.INVALID_REQUEST, "the body must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid(Problem.Kind.INVALID_REQUEST, "unknown field (allowed: scopes, expiresInMinutes, externalId)");
            }
        }
        return new TokenRequestBody(new TokenRequest(scopes(root.get("scopes")), lifetime(root.get("expiresInMinutes"))),
                externalId(root.get("externalId")));
    }

    private static List<String> scopes(JsonNode node) throws Invalid {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new Invalid(Problem.Kind.INVALID_SCOPES, "scopes must be a non-empty array of " + sorted(SCOPES));
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (JsonNode scope : node) {
            if (!scope.isTextual() || !SCOPES.contains(scope.asText())) {
                throw new Invalid(Problem.Kind.INVALID_SCOPES, "every scope must be one of " + sorted(SCOPES));
            }
            scopes.add(scope.asText());
        }
        return new ArrayList<>(scopes);
    }

    private static Duration lifetime(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return DEFAULT_LIFETIME;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 60 || node.asInt() > 1440) {
            throw new Invalid(Problem.Kind.INVALID_LIFETIME, "expiresInMinutes must be a whole number from 60 to 1440");
        }
        return Duration.ofMinutes(node.asInt());
    }

    private static Optional<String> externalId(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || !EXTERNAL_ID.matcher(node.asText()).matches()) {
            throw new Invalid(Problem.Kind.INVALID_REQUEST,
                    "externalId must be 1 to 256 characters of A-Z a-z 0-9 . _ @ : + -");
        }
        return Optional.of(node.asText());
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
