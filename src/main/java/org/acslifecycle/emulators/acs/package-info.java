/**
 * A local ACS Identity service (HTTPS, HMAC-verified) for tests and for running the worker without Azure. Entry
 * point: {@link org.acslifecycle.emulators.acs.AcsIdentityEmulator}, configured by
 * {@link org.acslifecycle.emulators.acs.AcsEmulatorConfig}; standalone through {@code acs-lifecycle emulators}.
 * Depends on no other project package (dependency rule).
 *
 * <h2>Identity API (what azure-communication-identity 1.4.10 calls)</h2>
 * <ul>
 *   <li>{@code POST /identities} → 201 {@code {"identity":{"id"}}}, plus {@code accessToken} when
 *       {@code createTokenWithScopes} is non-empty; body {@code {}} or empty both accepted</li>
 *   <li>{@code POST /identities/{id}/:issueAccessToken} → 200 {@code {"token","expiresOn"}}</li>
 *   <li>{@code POST /identities/{id}/:revokeAccessTokens} → 204</li>
 *   <li>{@code DELETE /identities/{id}} → 204</li>
 * </ul>
 * api-versions: those the service advertised (2020-07-20-preview2 … 2022-10-01) and later ones (2023-08-01,
 * 2023-10-01, 2025-03-02-preview, 2025-06-30); others → 400 {@code UnsupportedApiVersion}, none → 400
 * {@code ApiVersionUnspecified}. {@code expiresInMinutes} must be 60–1440 (from 2022-10-01; older versions ignore
 * it); scopes {@code chat}, {@code voip}, and from 2023-10-01 {@code chat.join}, {@code chat.join.limited},
 * {@code voip.join}.
 *
 * <h2>Authentication</h2>
 * HMAC-SHA256 as the SDKs sign it: body hash, {@code x-ms-date} within 15 min (configurable), signature over
 * {@code METHOD\npath?query\nx-ms-date;host;x-ms-content-sha256}, with the Host header tried as received and without
 * its port (the Java SDK signs the bare host, java.net.http sends host:port). Failures → 401 {@code Denied}.
 * Bearer tokens: refused by default; in {@link org.acslifecycle.emulators.acs.AcsEmulatorConfig.BearerMode#VALIDATE}
 * checked as ACS checks Entra ID tokens (RS256 signature by a key in the trusted issuer's JWKS, {@code iss}, audience
 * {@code https://communication.azure.com}, {@code nbf}/{@code exp}; failures → 401 {@code Denied} with the reason);
 * in {@link org.acslifecycle.emulators.acs.AcsEmulatorConfig.BearerMode#ACCEPT_ANY} accepted unchecked.
 *
 * <h2>Where the real service's behaviour is not recorded (our choices, configurable where marked)</h2>
 * <ul>
 *   <li>issue token for a deleted or never-created identity: 404 {@code IdentityNotFound}</li>
 *   <li>revoke for a deleted or never-created identity: 404 {@code IdentityNotFound} (configurable: 204)</li>
 *   <li>delete twice: 204 (configurable: 404); delete of a never-created identity: 404 (configurable: 204)</li>
 *   <li>id of another resource: 401 {@code IdentityNotOwned} (recorded); malformed id: 400 {@code ValidationError}</li>
 *   <li>unknown scope: 400 {@code ValidationError}; 429 body {@code TooManyRequests} with {@code Retry-After}</li>
 *   <li>quotas count admitted requests only; revocation takes effect at once (no 15-minute propagation)</li>
 *   <li>wrong-key mode does not revoke tokens minted before the rotation (the real service's key rotation does)</li>
 *   <li>repeatable creates ({@code Repeatability-Request-ID}, {@code Repeatability-First-Sent}): a request id seen
 *       within 24 h of its first-sent time gets the first 201 again with {@code Repeatability-Result: accepted};
 *       malformed or half-given headers and a different body → 400, first-sent older than the window → 412, both
 *       {@code Repeatability-Result: rejected} (see {@link org.acslifecycle.emulators.acs.RepeatableRequests}; ACS
 *       documents 5 minutes for Email and Rooms, nothing for Identity)</li>
 * </ul>
 *
 * <h2>Admin and inspection</h2>
 * Under {@code /emulator/} (not HMAC-protected, never fault-injected or counted), see
 * {@link org.acslifecycle.emulators.acs.AdminApi}; the same through the Java API of the emulator.
 */
package org.acslifecycle.emulators.acs;
