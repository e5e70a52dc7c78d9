package org.acslifecycle.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.AccessTokens.IssuedToken;
import org.acslifecycle.core.port.AccessTokens.TokenRequest;
import org.acslifecycle.core.port.DirectoryFailure;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PendingTerminations;

/**
 * Lifecycle-aware issuance of ACS access tokens (DESIGN §6, the token service): a token only for an ACTIVE
 * person, never outliving a pending termination, under the shared issue budget, every issuance and refusal
 * audited.
 *
 * <p>The person's state is read from the ledger on every request, never from a cache: a cache is exactly
 * what lets an ordinary token service hand a fresh token to someone whose tokens were just revoked.
 */
public final class TokenIssuance {

    /** The audit trail's event type for token-service rows. */
    public static final String AUDIT_TYPE = "token-service.issue";

    private final Ledger ledger;
    private final AccessTokens tokens;
    private final IssueBudget budget;
    private final PendingTerminations terminations;
    private final BooleanSupplier acsCircuitOpen;
    private final Clock clock;

    /**
     * @param acsCircuitOpen whether calls to ACS are known to fail now (an open circuit): then refuse with no
     *                       ACS call and no budget spent; {@code () -> false} while nothing tracks it
     */
    public TokenIssuance(Ledger ledger, AccessTokens tokens, IssueBudget budget, PendingTerminations terminations,
            BooleanSupplier acsCircuitOpen, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.terminations = Objects.requireNonNull(terminations, "terminations");
        this.acsCircuitOpen = Objects.requireNonNull(acsCircuitOpen, "acsCircuitOpen");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An authenticated caller: who they are for the audit, whom they may ask for. */
    public record Caller(String id, Optional<String> ownExternalId, boolean mayAskForAnyone) {
        public Caller {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(ownExternalId, "ownExternalId");
        }
    }

    /**
     * One request for a token.
     *
     * @param forExternalId the person asked for; empty means the caller themselves
     */
    public record Request(Caller caller, Optional<String> forExternalId, TokenRequest token) {
        public Request {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(forExternalId, "forExternalId");
            Objects.requireNonNull(token, "token");
            if (token.expiresIn() == null) {
                // The cap below needs the lifetime; the edge picks the default.
                throw new IllegalArgumentException("a token service request names its lifetime");
            }
        }
    }

    /** What became of a request. Only {@link Issued} carries a token. */
    public sealed interface Outcome permits Issued, Refusal {}

    public record Issued(String externalId, String acsUserId, IssuedToken token) implements Outcome {}

    /** Why no token was issued; {@link #detail()} is safe to show the caller and to audit. */
    public sealed interface Refusal extends Outcome
            permits NoPerson, NotAllowed, NotActive, NoIdentity, TerminationImminent, BudgetExhausted, AcsUnavailable,
            AcsRejected {
        String detail();
    }

    /** The caller's token names nobody and the request names nobody either. */
    public record NoPerson(String detail) implements Refusal {}

    /** The caller asked for someone else without holding the role that allows it. */
    public record NotAllowed(String detail) implements Refusal {}

    /** The person is not ACTIVE (SUSPENDED, DELETED, or whatever comes next): no token, ever. */
    public record NotActive(PersonState state, String detail) implements Refusal {}

    /** The ledger has no record of the person, or they have no ACS identity. */
    public record NoIdentity(String detail) implements Refusal {}

    /** A pending termination takes effect before the shortest token ACS can issue would expire. */
    public record TerminationImminent(Instant effectiveAt, String detail) implements Refusal {}

    public record BudgetExhausted(Duration retryAfter, String detail) implements Refusal {}

    /**
     * ACS cannot issue now: the circuit is open or ACS refused our credentials (systemic), or it stayed
     * unavailable through the adapter's retries (transient, {@code retryAfter} when ACS said).
     */
    public record AcsUnavailable(boolean circuitOpen, Optional<Duration> retryAfter, String detail) implements Refusal {}

    /** ACS refused this request for good (a 4xx other than 401, 403, 404), e.g. a scope its API version lacks. */
    public record AcsRejected(int status, String errorCode, String detail) implements Refusal {}

    public Outcome issue(Request request) {
        Caller caller = request.caller();
        Optional<String> target = request.forExternalId().or(caller::ownExternalId);
        if (target.isEmpty()) {
            return refused(request, "-", new NoPerson("the request names no externalId and the caller's token names no person"));
        }
        String externalId = target.get();
        if (!externalId.equals(caller.ownExternalId().orElse(null)) && !caller.mayAskForAnyone()) {
            return refused(request, externalId, new NotAllowed("the caller may ask only for themselves"));
        }
        Optional<PersonRecord> record = ledger.person(externalId);
        Optional<Refusal> refusal = refusalForState(record, externalId);
        if (refusal.isPresent()) {
            return refused(request, externalId, refusal.get());
        }
        String acsUserId = record.flatMap(PersonRecord::acsUserId).orElseThrow();
        Instant now = clock.instant();
        TokenLifetime.Verdict verdict = TokenLifetime.cap(request.token().expiresIn(),
                terminations.effectiveAt(externalId), now);
        if (verdict instanceof TokenLifetime.TooLate tooLate) {
            return refused(request, externalId, new TerminationImminent(tooLate.termination(),
                    "a termination takes effect at " + tooLate.termination()
                            + ", sooner than the shortest token ACS issues"));
        }
        TokenLifetime.Allowed allowed = (TokenLifetime.Allowed) verdict;
        Duration lifetime = allowed.lifetime();
        Optional<Instant> termination = allowed.cappedAt();
        if (acsCircuitOpen.getAsBoolean()) {
            return refused(request, externalId, new AcsUnavailable(true, Optional.empty(), "ACS calls are suspended (circuit open)"));
        }
        if (budget.tryTake() instanceof IssueBudget.Exhausted exhausted) {
            return refused(request, externalId, new BudgetExhausted(exhausted.retryAfter(),
                    "the ACS issue-token budget is spent for now"));
        }
        TokenRequest capped = new TokenRequest(request.token().scopes(), lifetime);
        IssuedToken token;
        try {
            token = tokens.issueToken(acsUserId, capped);
        } catch (DirectoryFailure.Systemic e) {
            return refused(request, externalId, new AcsUnavailable(true, Optional.empty(),
                    "ACS refused this service's credentials (HTTP " + e.status() + ")"));
        } catch (DirectoryFailure.Transient e) {
            return refused(request, externalId, new AcsUnavailable(false, e.retryAfter(), "ACS is unavailable"));
        } catch (DirectoryFailure.Permanent e) {
            if (e.status() == 404) {
                return refused(request, externalId, new NoIdentity("ACS does not know the person's identity"));
            }
            return refused(request, externalId, new AcsRejected(e.status(), e.errorCode(),
                    "ACS refused the request (HTTP " + e.status() + " " + e.errorCode() + ")"));
        }
        // Read again: a suspension committed while ACS minted this token must not see it handed out. Today the
        // worker revokes before it commits the new state, so a token minted between the revocation and that
        // commit can still pass both reads; recording the state before sending the revocation closes that.
        Optional<PersonRecord> recordAfter = ledger.person(externalId);
        Optional<Refusal> after = refusalForState(recordAfter, externalId)
                .or(() -> recordAfter.flatMap(PersonRecord::acsUserId).filter(acsUserId::equals).isPresent()
                        ? Optional.empty()
                        : Optional.of(new NoIdentity(externalId + "'s ACS identity changed while the token was minted")));
        if (after.isPresent()) {
            return refused(request, externalId, after.get(), " (a token was minted and withheld)");
        }
        Issued issued = new Issued(externalId, acsUserId, token);
        ledger.audit(audit(request, externalId, AuditEntry.Outcome.OPERATOR, Optional.of(acsUserId),
                "issued a token with scopes " + capped.scopes() + ", expires " + token.expiresOn()
                        + (termination.isPresent() ? " (capped by the termination at " + termination.get() + ")" : "")));
        return issued;
    }

    private static Optional<Refusal> refusalForState(Optional<PersonRecord> record, String externalId) {
        if (record.isEmpty()) {
            return Optional.of(new NoIdentity("the ledger has no record of " + externalId));
        }
        if (record.get().state() != PersonState.ACTIVE) {
            return Optional.of(new NotActive(record.get().state(),
                    externalId + " is " + record.get().state() + ": tokens are issued only to ACTIVE people"));
        }
        if (record.get().acsUserId().isEmpty()) {
            return Optional.of(new NoIdentity(externalId + " has no ACS identity yet"));
        }
        return Optional.empty();
    }

    private Refusal refused(Request request, String externalId, Refusal refusal) {
        return refused(request, externalId, refusal, "");
    }

    private Refusal refused(Request request, String externalId, Refusal refusal, String note) {
        ledger.audit(audit(request, externalId, AuditEntry.Outcome.REFUSED, Optional.empty(),
                refusal.getClass().getSimpleName() + ": " + refusal.detail() + note));
        return refusal;
    }

    /** Caller, person, scopes and lifetime asked for; never the token. */
    private AuditEntry audit(Request request, String externalId, AuditEntry.Outcome outcome, Optional<String> acsUserId,
            String what) {
        List<String> scopes = request.token().scopes();
        String reason = what + " (asked by " + request.caller().id() + " for scopes " + scopes + ", "
                + request.token().expiresIn().toMinutes() + " min)";
        return new AuditEntry(Optional.empty(), Optional.of("token-service"), Optional.of(AUDIT_TYPE),
                Optional.of(externalId), Optional.empty(), outcome, acsUserId, Optional.of(reason),
                request.caller().id(), clock.instant());
    }
}
