package org.acslifecycle.emulators.servicebus.broker;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AMQP transactions: work enlisted under a transaction id (sends, settlements) is held back and applied, in
 * order, only when the client discharges with commit; a rollback drops it. Locks of messages settled inside a
 * rolled-back transaction stay held until they expire, as nothing was settled.
 */
public final class Transactions {
    private final Map<ByteBuffer, List<Runnable>> open = new HashMap<>();
    private long nextId = 1;

    public byte[] declare() {
        byte[] id = ByteBuffer.allocate(8).putLong(nextId++).array();
        open.put(ByteBuffer.wrap(id), new ArrayList<>());
        return id;
    }

    public boolean isOpen(byte[] id) {
        return open.containsKey(ByteBuffer.wrap(id));
    }

    /** Adds work to run on commit; the caller has already checked it can succeed now. */
    public void enlist(byte[] id, Runnable work) {
        List<Runnable> pending = open.get(ByteBuffer.wrap(id));
        if (pending == null) {
            throw unknown();
        }
        pending.add(work);
    }

    /** Ends the transaction; on commit runs its work and reports the first failure after running the rest. */
    public void discharge(byte[] id, boolean commit) {
        List<Runnable> pending = open.remove(ByteBuffer.wrap(id));
        if (pending == null) {
            throw unknown();
        }
        if (!commit) {
            return;
        }
        BrokerException first = null;
        for (Runnable work : pending) {
            try {
                work.run();
            } catch (BrokerException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw new BrokerException("amqp:transaction:rollback", 400,
                    "Part of the transaction could not be applied: " + first.getMessage());
        }
    }

    private static BrokerException unknown() {
        return new BrokerException("amqp:transaction:unknown-id", 400, "The transaction id is not known to the broker.");
    }
}
