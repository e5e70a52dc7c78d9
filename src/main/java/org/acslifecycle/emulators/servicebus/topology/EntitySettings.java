package org.acslifecycle.emulators.servicebus.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * The behaviour of one receivable entity (queue or subscription), as the official emulator's Config.json
 * describes it. Defaults are the official emulator's schema defaults. {@code forwardTo} and
 * {@code forwardDeadLetteredMessagesTo} name a queue or topic, or are null for "no forwarding".
 */
public record EntitySettings(
        Duration lockDuration,
        int maxDeliveryCount,
        boolean requiresSession,
        boolean requiresDuplicateDetection,
        Duration duplicateDetectionHistoryTimeWindow,
        boolean deadLetteringOnMessageExpiration,
        Duration defaultMessageTimeToLive,
        String forwardTo,
        String forwardDeadLetteredMessagesTo) {

    public static final Duration DEFAULT_LOCK_DURATION = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_DELIVERY_COUNT = 3;
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofSeconds(20);
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    public EntitySettings {
        Objects.requireNonNull(lockDuration, "LockDuration");
        Objects.requireNonNull(duplicateDetectionHistoryTimeWindow, "DuplicateDetectionHistoryTimeWindow");
        Objects.requireNonNull(defaultMessageTimeToLive, "DefaultMessageTimeToLive");
        if (lockDuration.isNegative() || lockDuration.isZero()) {
            throw new IllegalArgumentException("LockDuration must be positive, was " + lockDuration);
        }
        if (maxDeliveryCount < 1) {
            throw new IllegalArgumentException("MaxDeliveryCount must be at least 1, was " + maxDeliveryCount);
        }
        if (defaultMessageTimeToLive.isNegative() || defaultMessageTimeToLive.isZero()) {
            throw new IllegalArgumentException("DefaultMessageTimeToLive must be positive, was " + defaultMessageTimeToLive);
        }
        forwardTo = blankToNull(forwardTo);
        forwardDeadLetteredMessagesTo = blankToNull(forwardDeadLetteredMessagesTo);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static EntitySettings defaults() {
        return new EntitySettings(DEFAULT_LOCK_DURATION, DEFAULT_MAX_DELIVERY_COUNT, false, false,
                DEFAULT_DUPLICATE_WINDOW, false, DEFAULT_TTL, null, null);
    }

    public EntitySettings withLockDuration(Duration value) {
        return new EntitySettings(value, maxDeliveryCount, requiresSession, requiresDuplicateDetection,
                duplicateDetectionHistoryTimeWindow, deadLetteringOnMessageExpiration, defaultMessageTimeToLive,
                forwardTo, forwardDeadLetteredMessagesTo);
    }

    public EntitySettings withMaxDeliveryCount(int value) {
        return new EntitySettings(lockDuration, value, requiresSession, requiresDuplicateDetection,
                duplicateDetectionHistoryTimeWindow, deadLetteringOnMessageExpiration, defaultMessageTimeToLive,
                forwardTo, forwardDeadLetteredMessagesTo);
    }

    public EntitySettings withRequiresSession(boolean value) {
        return new EntitySettings(lockDuration, maxDeliveryCount, value, requiresDuplicateDetection,
                duplicateDetectionHistoryTimeWindow, deadLetteringOnMessageExpiration, defaultMessageTimeToLive,
                forwardTo, forwardDeadLetteredMessagesTo);
    }

    public EntitySettings withDuplicateDetection(Duration window) {
        return new EntitySettings(lockDuration, maxDeliveryCount, requiresSession, true,
                window, deadLetteringOnMessageExpiration, defaultMessageTimeToLive, forwardTo, forwardDeadLetteredMessagesTo);
    }

    public EntitySettings withDeadLetteringOnMessageExpiration(boolean value) {
        return new EntitySettings(lockDuration, maxDeliveryCount, requiresSession, requiresDuplicateDetection,
                duplicateDetectionHistoryTimeWindow, value, defaultMessageTimeToLive, forwardTo, forwardDeadLetteredMessagesTo);
    }

    public EntitySettings withDefaultMessageTimeToLive(Duration value) {
        return new EntitySettings(lockDuration, maxDeliveryCount, requiresSession, requiresDuplicateDetection,
                duplicateDetectionHistoryTimeWindow, deadLetteringOnMessageExpiration, value, forwardTo,
                forwardDeadLetteredMessagesTo);
    }

    public EntitySettings withForwarding(String forwardTo, String forwardDeadLetteredMessagesTo) {
        return new EntitySettings(lockDuration, maxDeliveryCount, requiresSession, requiresDuplicateDetection,
                duplicateDetectionHistoryTimeWindow, deadLetteringOnMessageExpiration, defaultMessageTimeToLive,
                forwardTo, forwardDeadLetteredMessagesTo);
    }
}
