/**
 * The ACS identity adapter: {@link org.acslifecycle.identity.AcsIdentityAdapter} implements the core's
 * {@code IdentityDirectory} over {@code azure-communication-identity} 1.4.10.
 *
 * <ul>
 *   <li>Client: built in one place ({@code AcsClientFactory}) from {@link org.acslifecycle.identity.AcsIdentityConfig}:
 *       connection string, or endpoint + DefaultAzureCredential (managed identity); optional PEM certificate that is
 *       then the only one trusted (reactor-netty SslContext; nothing JVM-wide).</li>
 *   <li>Retries: the SDK's are off ({@code maxRetries 0}); {@code AcsRetry} (resilience4j) is the only layer.</li>
 *   <li>Failures: {@code FailureClassifier} maps each to a {@code DirectoryFailure}: 408/429/5xx/I/O/time-out →
 *       Transient (with Retry-After); 401/403 → Systemic, except 401 {@code IdentityNotOwned}, which concerns one
 *       identity and is Permanent; other 4xx → Permanent with the ACS error code; TLS trust failures and anything
 *       unexpected → Systemic. 404 on revoke/delete → {@code Completion.ALREADY_DONE}.</li>
 * </ul>
 */
package org.acslifecycle.identity;
