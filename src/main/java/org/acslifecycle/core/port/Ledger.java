package org.acslifecycle.core.port;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.Operation;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;

/** The durable ledger of DESIGN §4: per-person records, the handled-event log, the journal and the audit trail. */
public interface Ledger {

    /**
     * Opens a unit of work on one person and takes that person's lock, waiting for it if another thread or
     * replica holds it. Everything done on a person goes through one of these, so work on one person is
     * serialised even without Service Bus sessions.
     */
    PersonUnitOfWork open(String externalId);

    /** Records an audit row outside any person's unit of work (a rejected message may name nobody). */
    void audit(AuditEntry entry);

    /** The person's record and full history, or empty if the ledger has never heard of them. */
    Optional<PersonHistory> history(String externalId);

    /**
     * The person's record as committed now, without taking their lock: what the token service reads on every
     * request, so that a recorded suspension refuses the very next issuance (no cache that could lag it).
     */
    Optional<PersonRecord> person(String externalId);

    /** Intents that never completed, oldest first: where to look for orphan identities. */
    List<Intent> incompleteIntents();

    /** Creates that may have left an orphan identity in ACS ({@link Operation#mayHaveOrphan()}), oldest first. */
    List<Operation> possibleOrphans();

    /** Journal operations in any of {@code statuses}, oldest first, at most {@code limit}. */
    List<Operation> operations(Set<Operation.Status> statuses, int limit);

    /**
     * How many journal operations of {@code kind} are in {@code status} now (the backlog and the FAILED ones the
     * metrics export). The default counts what {@link #operations} lists; a database counts in one query.
     */
    default long countOperations(Operation.Kind kind, Operation.Status status) {
        return operations(Set.of(status), Integer.MAX_VALUE).stream().filter(op -> op.kind() == kind).count();
    }

    /** One journal operation by id. */
    Optional<Operation> operation(long id);
    /**
     * Every person's record, one at a time, in no particular order, streamed from the database (never all in
     * memory): for comparing the ledger with another inventory, such as the HR roster. One consistent read.
     */
    void forEachPerson(Consumer<PersonRecord> consumer);
}
