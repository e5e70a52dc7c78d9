package org.acslifecycle.emulators.servicebus.broker;

/**
 * A request the broker refuses. {@code condition} is the AMQP error condition the SDKs map to their own error
 * reasons; {@code status} is the HTTP-like code used on request/response nodes.
 */
public final class BrokerException extends RuntimeException {
    private final String condition;
    private final int status;

    public BrokerException(String condition, int status, String description) {
        super(description, null, false, false);
        this.condition = condition;
        this.status = status;
    }

    public String condition() {
        return condition;
    }

    public int status() {
        return status;
    }

    public static BrokerException entityNotFound(String host, String path) {
        // The SDKs only treat not-found as permanent when the description matches "The messaging entity .* could not be found".
        return new BrokerException("amqp:not-found", 404,
                "The messaging entity 'sb://" + host + "/" + path + "' could not be found.");
    }

    public static BrokerException lockLost() {
        return new BrokerException("com.microsoft:message-lock-lost", 410,
                "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.");
    }

    public static BrokerException sessionLockLost(String sessionId) {
        return new BrokerException("com.microsoft:session-lock-lost", 410,
                "The session lock has expired on the MessageSession. Accept a new MessageSession. Session: " + sessionId);
    }

    public static BrokerException sessionCannotBeLocked(String sessionId) {
        return new BrokerException("com.microsoft:session-cannot-be-locked", 410,
                "The requested session '" + sessionId + "' cannot be accepted. It may be locked by another receiver.");
    }

    public static BrokerException messageNotFound(long sequenceNumber) {
        return new BrokerException("com.microsoft:message-not-found", 404,
                "Failed to lock one or more specified messages. The message with sequence number " + sequenceNumber
                        + " was not found or is not deferred.");
    }

    public static BrokerException notAllowed(String description) {
        return new BrokerException("amqp:not-allowed", 400, description);
    }

    public static BrokerException argument(String description) {
        return new BrokerException("com.microsoft:argument-error", 400, description);
    }
}
