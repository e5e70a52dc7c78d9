package org.acslifecycle.core.port;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an identity-directory call failed, classified for recovery (DESIGN §5). The adapter maps every
 * SDK, HTTP and I/O failure to exactly one of these; the message never carries a secret.
 */
public abstract sealed class DirectoryFailure extends RuntimeException
        permits DirectoryFailure.Transient, DirectoryFailure.Permanent, DirectoryFailure.Systemic {

    private final String operation;

    private DirectoryFailure(String operation, String message, Throwable cause) {
        super(operation + ": " + message, cause);
        this.operation = Objects.requireNonNull(operation, "operation");
    }

    /** The directory operation that failed, e.g. {@code createIdentity}. */
    public String operation() {
        return operation;
    }

    /** 408, 429, 5xx, I/O and time-outs: worth retrying, honouring {@link #retryAfter()} when given. */
    public static final class Transient extends DirectoryFailure {
        private final Duration retryAfter;
        private final boolean throttled;

        public Transient(String operation, String message, Duration retryAfter, Throwable cause) {
            this(operation, message, retryAfter, false, cause);
        }

        /** @param throttled ACS answered 429: its quota, not an outage */
        public Transient(String operation, String message, Duration retryAfter, boolean throttled, Throwable cause) {
            super(operation, message, cause);
            this.retryAfter = retryAfter;
            this.throttled = throttled;
        }

        public boolean throttled() {
            return throttled;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** Another 4xx: this request will never succeed. {@link #errorCode()} is the ACS error code. */
    public static final class Permanent extends DirectoryFailure {
        private final int status;
        private final String errorCode;

        public Permanent(String operation, int status, String errorCode, String message, Throwable cause) {
            super(operation, message, cause);
            this.status = status;
            this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        }

        public int status() {
            return status;
        }

        public String errorCode() {
            return errorCode;
        }
    }

    /** 401 or 403: nothing will succeed until an operator fixes the key or role; stop taking work. */
    public static final class Systemic extends DirectoryFailure {
        private final int status;

        public Systemic(String operation, int status, String message, Throwable cause) {
            super(operation, message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
