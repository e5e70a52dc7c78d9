package org.acslifecycle.core;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.AccessTokens.IssuedToken;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.IdentityDirectory;
import org.acslifecycle.core.port.IssueBudget;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PendingTerminations;
import org.acslifecycle.core.port.PersonUnitOfWork;

/**
 * The quickstart's operations by hand, kept consistent with the ledger: under the person's lock, through
 * intents, audited with the operator's name.
 *
 * <p>Operator actions are not HR events: they never move a record's last event time, so they cannot make
 * a later-arriving HR event (an offboarding, say) stale. A record an operator creates starts at the epoch.
 * Tokens are issued only to ACTIVE people: revoking tokens does not stop new ones, so refusing to issue is
 * the control for SUSPENDED and DELETED people.
 */
public final class OperatorService {

    private final Ledger ledger;
    private final IdentityDirectory directory;
    private final AccessTokens tokens;
    private final IssueBudget issueBudget;
    private final PendingTerminations terminations;
    private final Clock clock;

    public OperatorService(Ledger ledger, IdentityDirectory directory, AccessTokens tokens, Clock clock) {
        this(ledger, directory, tokens, IssueBudget.unlimited(), clock);
    }

    /** With the issue-token budget the token service spends too (DESIGN §6: one quota, every issuing path). */
    public OperatorService(Ledger ledger, IdentityDirectory directory, AccessTokens tokens, IssueBudget issueBudget,
            Clock clock) {
        this(ledger, directory, tokens, issueBudget, PendingTerminations.NONE_RECORDED, clock);
    }

    /**
     * With the persons' pending terminations too: a token an operator issues expires by then, as the token
     * service's do ({@link TokenLifetime}).
     */
    public OperatorService(Ledger ledger, IdentityDirectory directory, AccessTokens tokens, IssueBudget issueBudget,
            PendingTerminations terminations, Clock clock) {
        this.terminations = Objects.requireNonNull(terminations, "terminations");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.issueBudget = Objects.requireNonNull(issueBudget, "issueBudget");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The identity context of one command: who asks, why, and the key its intent and audit row carry. */
    public record Request(String externalId, String operator, Optional<String> reason) {
        public Request {
            Objects.requireNonNull(externalId, "externalId");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(reason, "reason");
        }

        EventKey key() {
            return new EventKey("operator:" + operator, UUID.randomUUID().toString());
        }
    }

    public OperatorResult createIdentity(Request request) {
        return create(request, "operator.identity-create", 
                intent -> new Created(directory.createIdentity(CreateRequest.first(clock.instant())), Optional.empty()));
    }

    public OperatorResult createIdentityWithToken(Request request, AccessTokens.TokenRequest token) {
        return create(request, "operator.identity-create-with-token", intent -> {
            // A fresh request per command: the adapter's own retries repeat it, a second command is a second create.
            AccessTokens.IdentityWithToken made = tokens.createIdentityWithToken(CreateRequest.first(clock.instant()),
                    token);
            return new Created(made.acsUserId(), Optional.of(made.token()));
        });
    }

    public OperatorResult issueToken(Request request, AccessTokens.TokenRequest tokenRequest) {
        try (PersonUnitOfWork work = ledger.open(request.externalId())) {
            Optional<PersonRecord> record = work.record();
            if (record.isEmpty() || record.get().state() != PersonState.ACTIVE || record.get().acsUserId().isEmpty()) {
                return refuse(work, request, "operator.token-issue", notActive(request.externalId(), record));
            }
            TokenLifetime.Verdict lifetime = TokenLifetime.cap(tokenRequest.expiresIn(),
                    terminations.effectiveAt(request.externalId()), clock.instant());
            if (lifetime instanceof TokenLifetime.TooLate tooLate) {
                return refuse(work, request, "operator.token-issue", request.externalId() + "'s termination takes effect at "
                        + tooLate.termination() + ", sooner than the shortest token ACS issues");
            }
            TokenLifetime.Allowed allowed = (TokenLifetime.Allowed) lifetime;
            if (issueBudget.tryTake() instanceof IssueBudget.Exhausted exhausted) {
                return refuse(work, request, "operator.token-issue", "the ACS issue-token budget is spent for now; "
                        + "try again in " + exhausted.retryAfter().toSeconds() + " s");
            }
            IssuedToken token = tokens.issueToken(record.get().acsUserId().get(),
                    new AccessTokens.TokenRequest(tokenRequest.scopes(), allowed.lifetime()));
            String summary = "issued a token for " + record.get().acsUserId().get() + " with scopes " + tokenRequest.scopes()
                    + ", expires " + token.expiresOn()
                    + allowed.cappedAt().map(at -> " (capped by the termination at " + at + ")").orElse("");
            return done(work, request, "operator.token-issue", record.get(), Optional.of(token), summary);
        }
    }

    public OperatorResult revokeTokens(Request request) {
        try (PersonUnitOfWork work = ledger.open(request.externalId())) {
            Optional<PersonRecord> record = work.record();
            Optional<String> identity = record.flatMap(PersonRecord::acsUserId);
            if (identity.isEmpty()) {
                return refuse(work, request, "operator.token-revoke", request.externalId() + " has no ACS identity");
            }
            Intents.run(work, work.pendingIntent(), request.key(), Intent.Action.REVOKE_TOKENS, identity,
                    intent -> directory.revokeTokens(identity.get()));
            return done(work, request, "operator.token-revoke", record.get(), Optional.empty(),
                    "revoked every token of " + identity.get());
        }
    }

    /** Deletes the person's identity and leaves a DELETED tombstone, as an offboarding would. */
    public OperatorResult deleteIdentity(Request request) {
        try (PersonUnitOfWork work = ledger.open(request.externalId())) {
            Optional<PersonRecord> record = work.record();
            Optional<String> identity = record.flatMap(PersonRecord::acsUserId);
            if (identity.isEmpty()) {
                return refuse(work, request, "operator.identity-delete", request.externalId() + " has no ACS identity");
            }
            Intents.run(work, work.pendingIntent(), request.key(), Intent.Action.DELETE_IDENTITY, identity,
                    intent -> directory.deleteIdentity(identity.get()));
            PersonRecord deleted = new PersonRecord(request.externalId(), Optional.empty(), PersonState.DELETED,
                    record.get().lastEventTime(), record.get().lastEventKey());
            // As an offboarding would: in the history too, or the next HR event would fold as if it never happened.
            // It stands at the person's newest event: a newer HR event folds on top of it, an older one cannot undo it.
            PersonTimeline history = Convergence.withOperatorAction(record, work.timeline(),
                    new EventPosition(record.get().lastEventTime(), request.key()), EventType.OFFBOARDED);
            work.save(deleted);
            work.saveTimeline(history);
            work.saveIdentitySince(Optional.empty());
            return done(work, request, "operator.identity-delete", deleted, Optional.empty(),
                    "deleted " + identity.get());
        }
    }

    private record Created(String acsUserId, Optional<IssuedToken> token) {}

    private OperatorResult create(Request request, String action, Function<Intent, Created> call) {
        try (PersonUnitOfWork work = ledger.open(request.externalId())) {
            Optional<PersonRecord> record = work.record();
            if (record.isPresent() && record.get().state() != PersonState.ACTIVE) {
                return refuse(work, request, action, request.externalId() + " is " + record.get().state()
                        + ": only HR events bring such a person back (reinstated, or onboarded after offboarding)");
            }
            if (record.flatMap(PersonRecord::acsUserId).isPresent()) {
                return refuse(work, request, action, request.externalId() + " already has ACS identity "
                        + record.get().acsUserId().get() + "; use 'token issue' for a token");
            }
            EventKey key = request.key();
            Created created = Intents.run(work, work.pendingIntent(), key, Intent.Action.CREATE_IDENTITY, Optional.empty(), intent -> {
                Created made = call.apply(intent);
                work.recordCreatedIdentity(intent, made.acsUserId());
                return made;
            });
            PersonRecord active = new PersonRecord(request.externalId(), Optional.of(created.acsUserId()),
                    PersonState.ACTIVE, record.map(PersonRecord::lastEventTime).orElse(Instant.EPOCH),
                    record.map(PersonRecord::lastEventKey).orElse(key));
            // As an onboarding would, for the fold, at the person's newest event (as for a delete by hand); the
            // identity serves the history as it is now.
            EventPosition at = new EventPosition(active.lastEventTime(), key);
            PersonTimeline history = Convergence.withOperatorAction(record, work.timeline(), at, EventType.ONBOARDED);
            work.save(active);
            work.saveTimeline(history);
            work.saveIdentitySince(history.newest());
            return done(work, request, action, active, created.token(), "created " + created.acsUserId());
        }
    }

    private static String notActive(String externalId, Optional<PersonRecord> record) {
        return record.map(r -> externalId + " is " + r.state() + (r.acsUserId().isEmpty() ? " without an ACS identity" : "")
                        + ": tokens are issued only to ACTIVE people")
                .orElse("the ledger has no record of " + externalId + ": create an identity first");
    }

    private OperatorResult done(PersonUnitOfWork work, Request request, String action, PersonRecord record,
            Optional<IssuedToken> token, String summary) {
        work.audit(audit(request, action, AuditEntry.Outcome.OPERATOR, record.acsUserId(), summary));
        work.commit();
        return new OperatorResult.Done(record, token, summary);
    }

    private OperatorResult refuse(PersonUnitOfWork work, Request request, String action, String why) {
        work.audit(audit(request, action, AuditEntry.Outcome.REFUSED, Optional.empty(), why));
        work.commit();
        return new OperatorResult.Refused(why);
    }

    private AuditEntry audit(Request request, String action, AuditEntry.Outcome outcome, Optional<String> identity,
            String what) {
        String reason = request.reason().map(r -> what + " (reason: " + r + ")").orElse(what);
        return new AuditEntry(Optional.empty(), Optional.of("operator:" + request.operator()), Optional.of(action),
                Optional.of(request.externalId()), Optional.empty(), outcome, identity, Optional.of(reason),
                request.operator(), clock.instant());
    }
}
