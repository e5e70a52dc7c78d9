package org.acslifecycle.core;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.time.Instant;
import org.acslifecycle.core.port.AccessTokens;
import org.acslifecycle.core.port.CreateRequest;
import org.acslifecycle.core.port.IdentityDirectory;

/** An in-memory ACS for the core's tests: which identities exist, and how often each call was made. */
public final class FakeDirectory implements IdentityDirectory, AccessTokens {

    private final AtomicInteger tokensIssued = new AtomicInteger();

    private final Set<String> identities = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> revocations = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private final Map<java.util.UUID, String> byRequest = new ConcurrentHashMap<>();
    private volatile Runnable afterCreate = () -> {};
    private final java.util.List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Honours repeatability as ACS documents it: the same request id gets the identity made the first time. A
     * fresh request makes a new one.
     */
    @Override
    public String createIdentity(CreateRequest request) {
        String earlier = byRequest.get(request.requestId());
        if (earlier != null) {
            calls.add("create " + earlier + " (repeated)");
            return earlier;
        }
        String id = "8:acs:fake-" + created.incrementAndGet();
        byRequest.put(request.requestId(), id);
        identities.add(id);
        calls.add("create " + id);
        afterCreate.run();
        return id;
    }

    @Override
    public Completion revokeTokens(String acsUserId) {
        revocations.computeIfAbsent(acsUserId, k -> new AtomicInteger()).incrementAndGet();
        calls.add("revoke " + acsUserId);
        return identities.contains(acsUserId) ? Completion.DONE : Completion.ALREADY_DONE;
    }

    @Override
    public Completion deleteIdentity(String acsUserId) {
        calls.add("delete " + acsUserId);
        return identities.remove(acsUserId) ? Completion.DONE : Completion.ALREADY_DONE;
    }

    @Override
    public IssuedToken issueToken(String acsUserId, TokenRequest request) {
        if (!identities.contains(acsUserId)) {
            throw new IllegalStateException("no identity " + acsUserId);
        }
        return new IssuedToken("token-" + tokensIssued.incrementAndGet(), Instant.now().plus(request.expiresIn() == null ? Duration.ofHours(24) : request.expiresIn()));
    }

    @Override
    public IdentityWithToken createIdentityWithToken(CreateRequest create, TokenRequest request) {
        String id = createIdentity(create);
        return new IdentityWithToken(id, issueToken(id, request));
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Runs after ACS has created an identity and before the caller sees its id: where a crash may strike. */
    public void afterCreate(Runnable action) {
        this.afterCreate = action;
    }

    public Set<String> identities() {
        return Set.copyOf(identities);
    }

    /** Every create, revoke and delete, in the order ACS got them: "create ID", "revoke ID", "delete ID". */
    public java.util.List<String> calls() {
        return java.util.List.copyOf(calls);
    }

    public int createCalls() {
        return created.get();
    }

    public int revocationsOf(String acsUserId) {
        AtomicInteger count = revocations.get(acsUserId);
        return count == null ? 0 : count.get();
    }
}
