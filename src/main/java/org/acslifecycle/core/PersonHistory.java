package org.acslifecycle.core;

import java.util.List;
import java.util.Optional;

/** One person's record, audit trail (oldest first), intents and journal operations, as the ledger holds them. */
public record PersonHistory(Optional<PersonRecord> record, List<AuditEntry> audit, List<Intent> intents,
        List<Operation> operations) {
    public PersonHistory {
        audit = List.copyOf(audit);
        intents = List.copyOf(intents);
        operations = List.copyOf(operations);
    }
}
