package org.acslifecycle.core;

/** What a transition asks of ACS. The rules decide it; the lifecycle service carries it out. */
public sealed interface Effect {

    /** A new identity for the person. */
    record CreateIdentity() implements Effect {}

    /** Revoke every token of the person's identity; the identity stays. */
    record RevokeTokens(String acsUserId) implements Effect {}

    /** Delete the person's identity, which also revokes its tokens. */
    record DeleteIdentity(String acsUserId) implements Effect {}

    /** Only the ledger changes. */
    record None() implements Effect {}

    Effect NONE = new None();
    Effect CREATE = new CreateIdentity();
}
