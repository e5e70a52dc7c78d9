package org.acslifecycle.emulators.acs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Identities and the tokens minted for them. Deleted identities stay as tombstones so a repeated delete, and a token
 * of a deleted identity, can be told from a never-created one. Revocation is tracked by a global mint sequence: a
 * token is revoked when its sequence is not above the identity's revocation mark, so a token minted in the same
 * second after a revoke stays valid (the real service's "tokens issued afterwards are valid").
 */
final class IdentityStore {

    /** What a revoke or delete found. */
    enum Presence { ACTIVE, DELETED, NEVER_CREATED }

    private final UUID resourceId;
    private final TokenMinter minter;
    private final Random random;
    private final Map<String, IdentityState> identities = new LinkedHashMap<>();
    private final Map<Long, TokenState> tokens = new HashMap<>();
    /** Every token string minted, for {@link AcsIdentityEmulator#issuedTokens()}; {@link #tokens} keeps no string. */
    private final List<String> minted = new java.util.ArrayList<>();
    private long sequence;

    IdentityStore(UUID resourceId, TokenMinter minter, Random random) {
        this.resourceId = resourceId;
        this.minter = minter;
        this.random = random;
    }

    synchronized String create(Instant now) {
        sequence++;
        // Shaped like real suffixes: 00000028-bb5b-21f4-73cb-c83a0d000a69.
        String suffix = String.format("%08x-%04x-%04x-%04x-%02x3a0d%06x", 0x28, random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(0x100), sequence & 0xffffff);
        String id = "8:acs:" + resourceId + "_" + suffix;
        identities.put(id, new IdentityState(id, now));
        return id;
    }

    synchronized Presence presence(String id) {
        IdentityState state = identities.get(id);
        if (state == null) {
            return Presence.NEVER_CREATED;
        }
        return state.deletedAt == null ? Presence.ACTIVE : Presence.DELETED;
    }

    /** Mints a token for an active identity; the caller has checked {@link #presence}. */
    synchronized MintedToken issue(String id, List<String> scopes, long expiresInMinutes, Instant now) {
        IdentityState state = identities.get(id);
        if (state == null || state.deletedAt != null) {
            throw AcsErrors.identityNotFound();
        }
        long seq = ++sequence;
        Instant expiresOn = now.plusSeconds(expiresInMinutes * 60);
        String token = minter.mint(id, scopes, now, expiresOn, seq);
        tokens.put(seq, new TokenState(seq, id, List.copyOf(scopes), now, expiresOn));
        minted.add(token);
        state.lastTokenIssuedAt = now;
        state.tokensIssued++;
        return new MintedToken(token, expiresOn);
    }

    synchronized Presence revoke(String id, Instant now) {
        Presence presence = presence(id);
        if (presence == Presence.ACTIVE) {
            IdentityState state = identities.get(id);
            state.revokedThrough = sequence;
            state.tokensRevokedAt = now;
        }
        return presence;
    }

    synchronized Presence delete(String id, Instant now) {
        Presence presence = presence(id);
        if (presence == Presence.ACTIVE) {
            IdentityState state = identities.get(id);
            state.deletedAt = now;
            state.revokedThrough = sequence;
        }
        return presence;
    }

    synchronized TokenVerdict inspect(String token, Instant now) {
        TokenMinter.Verified verified = minter.verify(token);
        if (verified.status() != TokenStatus.VALID) {
            return TokenVerdict.of(verified.status());
        }
        JsonNode claims = verified.claims().orElseThrow();
        TokenState state = tokens.get(claims.path("emuSeq").asLong());
        if (state == null) {
            return TokenVerdict.of(TokenStatus.MALFORMED);
        }
        return new TokenVerdict(status(state, now), state.identityId, state.scopes, state.issuedAt, state.expiresOn);
    }

    synchronized List<IdentityView> identities() {
        List<IdentityView> views = new ArrayList<>();
        for (IdentityState s : identities.values()) {
            views.add(new IdentityView(s.id, s.createdAt, s.deletedAt, s.tokensRevokedAt, s.lastTokenIssuedAt,
                    s.tokensIssued));
        }
        return views;
    }

    synchronized List<String> minted() {
        return List.copyOf(minted);
    }

    synchronized List<TokenView> tokens(Instant now) {
        return tokens.values().stream()
                .sorted(Comparator.comparingLong(TokenState::sequence))
                .map(t -> new TokenView(t.sequence, t.identityId, t.scopes, t.issuedAt, t.expiresOn, status(t, now)))
                .toList();
    }

    synchronized void clear() {
        identities.clear();
        tokens.clear();
        minted.clear();
    }

    private TokenStatus status(TokenState token, Instant now) {
        IdentityState identity = identities.get(token.identityId);
        if (identity == null || identity.deletedAt != null) {
            return TokenStatus.IDENTITY_DELETED;
        }
        if (token.sequence <= identity.revokedThrough) {
            return TokenStatus.REVOKED;
        }
        if (!now.isBefore(token.expiresOn)) {
            return TokenStatus.EXPIRED;
        }
        return TokenStatus.VALID;
    }

    private static final class IdentityState {
        private final String id;
        private final Instant createdAt;
        private Instant deletedAt;
        private Instant tokensRevokedAt;
        private Instant lastTokenIssuedAt;
        private long revokedThrough;
        private long tokensIssued;

        IdentityState(String id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
        }
    }

    private record TokenState(long sequence, String identityId, List<String> scopes, Instant issuedAt,
            Instant expiresOn) {
    }
}
