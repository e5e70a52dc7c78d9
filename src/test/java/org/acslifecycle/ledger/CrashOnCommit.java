package org.acslifecycle.ledger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.acslifecycle.core.AuditEntry;
import org.acslifecycle.core.EventKey;
import org.acslifecycle.core.HandledEvent;
import org.acslifecycle.core.OutcomeType;
import org.acslifecycle.core.Intent;
import org.acslifecycle.core.PersonHistory;
import org.acslifecycle.core.PersonRecord;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PersonUnitOfWork;

/** A ledger whose next commit dies as a process would: nothing of the unit is committed. */
final class CrashOnCommit implements Ledger {

    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash before commit");
        }
    }

    private final Ledger real;
    private final AtomicBoolean armed = new AtomicBoolean(true);

    CrashOnCommit(Ledger real) {
        this.real = real;
    }

    @Override
    public PersonUnitOfWork open(String externalId) {
        PersonUnitOfWork work = real.open(externalId);
        return new PersonUnitOfWork() {
            @Override public Optional<PersonRecord> record() { return work.record(); }
            @Override public Optional<HandledEvent> handled(EventKey key) { return work.handled(key); }
            @Override public Optional<Intent> pendingIntent() { return work.pendingIntent(); }
            @Override public Intent recordIntent(EventKey key, Intent.Action action, Optional<String> id) {
                return work.recordIntent(key, action, id);
            }
            @Override public Intent recordCreatedIdentity(Intent intent, String id) {
                return work.recordCreatedIdentity(intent, id);
            }
            @Override public void close(Intent intent, Intent.Status status, String note) { work.close(intent, status, note); }
            @Override public void save(PersonRecord record) { work.save(record); }
            @Override public void markHandled(EventKey key, String subject, AuditEntry.Outcome outcome,
                    Optional<OutcomeType> type) {
                work.markHandled(key, subject, outcome, type);
            }
            @Override public void audit(AuditEntry entry) { work.audit(entry); }
            @Override public void complete(Intent intent) { work.complete(intent); }
            @Override public void commit() {
                if (armed.getAndSet(false)) {
                    throw new Crash();
                }
                work.commit();
            }
            @Override public void close() { work.close(); }
        };
    }

    @Override public void audit(AuditEntry entry) { real.audit(entry); }
    @Override public Optional<PersonHistory> history(String externalId) { return real.history(externalId); }
    @Override public Optional<PersonRecord> person(String externalId) { return real.person(externalId); }
    @Override public List<Intent> incompleteIntents() { return real.incompleteIntents(); }
}
