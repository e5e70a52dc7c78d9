package org.acslifecycle.emulators.entra;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link EntraEmulator} runs. {@link #toString()} never shows a client secret.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param tenantId the one tenant served ({@code /{tenantId}/oauth2/v2.0/token}); other tenants get 400
 * @param clients registered applications: client id to client secret (client-credentials grant)
 * @param tokenLifetime how long an access token is valid ({@code exp} and {@code expires_in})
 * @param clock the issuer's "now" ({@code iat}, {@code nbf}, {@code exp}); a clock behind the resources' makes
 *     tokens they see as expired
 */
public record EntraEmulatorConfig(int port, String tenantId, Map<String, String> clients, Duration tokenLifetime,
        Clock clock) {

    public EntraEmulatorConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (tenantId == null || tenantId.isBlank() || tenantId.contains("/")) {
            throw new IllegalArgumentException("tenantId must be a non-blank path segment");
        }
        clients = Map.copyOf(Objects.requireNonNull(clients, "clients"));
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("tokenLifetime must be positive");
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** One tenant and one application, tokens valid for an hour, as Entra ID's default. */
    public static EntraEmulatorConfig of(String tenantId, String clientId, String clientSecret) {
        return new EntraEmulatorConfig(0, tenantId, Map.of(clientId, clientSecret), Duration.ofHours(1),
                Clock.systemUTC());
    }

    public EntraEmulatorConfig withPort(int newPort) {
        return new EntraEmulatorConfig(newPort, tenantId, clients, tokenLifetime, clock);
    }

    public EntraEmulatorConfig withClock(Clock newClock) {
        return new EntraEmulatorConfig(port, tenantId, clients, tokenLifetime, newClock);
    }

    public EntraEmulatorConfig withTokenLifetime(Duration lifetime) {
        return new EntraEmulatorConfig(port, tenantId, clients, lifetime, clock);
    }

    @Override
    public String toString() {
        return "EntraEmulatorConfig[port=" + port + ", tenantId=" + tenantId + ", clients=" + clients.keySet()
                + " (secrets redacted), tokenLifetime=" + tokenLifetime + "]";
    }
}
