package org.acslifecycle.core;

/** The outcome events of DESIGN §3, published for each applied event that changed something. */
public enum OutcomeType {
    PROVISIONED("identity.provisioned"),
    TOKENS_REVOKED("identity.tokens-revoked"),
    REINSTATED("identity.reinstated"),
    OFFBOARDED("identity.offboarded"),
    DELETED("identity.deleted"),
    DELETION_HELD("identity.deletion-held"),
    DELETION_RELEASED("identity.deletion-released"),
    DELETION_CANCELLED("identity.deletion-cancelled"),
    REJECTED("lifecycle.event-rejected");

    private final String cloudEventType;

    OutcomeType(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }
}
