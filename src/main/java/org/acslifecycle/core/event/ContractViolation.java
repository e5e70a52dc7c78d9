package org.acslifecycle.core.event;

import java.util.Optional;

/**
 * The first rule a message breaks. Checked, so no path through the contract can forget to turn it into a
 * {@link Rejection}; and without a stack trace, because rejections are expected, may come in floods, and
 * must stay cheap.
 */
final class ContractViolation extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;
    private final String attribute;
    private final String rule;

    private ContractViolation(RejectionReason reason, String attribute, String rule, String description) {
        super(description, null, false, false);
        this.reason = reason;
        this.attribute = attribute;
        this.rule = rule;
    }

    static ContractViolation invalid(String attribute, String rule, String description) {
        return new ContractViolation(RejectionReason.INVALID_EVENT, attribute, rule, description);
    }

    static ContractViolation unsupportedType(String description) {
        return new ContractViolation(RejectionReason.UNSUPPORTED_EVENT_TYPE, "type", "supported", description);
    }

    Rejection toRejection(Salvage salvage) {
        return new Rejection(reason, attribute, rule, getMessage(),
                salvage.id(), salvage.source(), salvage.type(), salvage.subject());
    }

    /** The identifying attributes that passed their own rules, for the audit row of a rejected message. */
    record Salvage(Optional<String> id, Optional<String> source, Optional<String> type, Optional<String> subject) {
        static final Salvage NOTHING = new Salvage(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
