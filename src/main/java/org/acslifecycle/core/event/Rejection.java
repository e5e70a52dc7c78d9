package org.acslifecycle.core.event;

import java.util.Objects;
import java.util.Optional;

/**
 * What could be salvaged for the audit row (any may be empty) plus what was wrong; description never
 * contains the payload.
 *
 * <p>Salvaged attributes are only ever values that passed their own rule, so an audit row or a
 * dead-letter property never carries an oversized or control-character-laden string.
 *
 * @param reason      the dead-letter reason code
 * @param attribute   the attribute (or {@code body}, {@code content-type}, {@code application-properties},
 *                    {@code data.reason}) that broke a rule
 * @param rule        a short stable name of the rule, e.g. {@code required}, {@code pattern}, {@code rfc3339}
 * @param description a short human-readable explanation, quoting the offending value only when short and
 *                    escaped
 */
public record Rejection(RejectionReason reason, String attribute, String rule, String description,
                        Optional<String> id, Optional<String> source, Optional<String> type, Optional<String> subject) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
    }
}
