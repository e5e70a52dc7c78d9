package org.acslifecycle.emulators.servicebus.amqp;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Lock tokens travel as the delivery tag in .NET {@code Guid.ToByteArray()} order (first three groups
 * little-endian); both SDKs undo that swap. A tag in RFC order would give every client a different token.
 */
final class LockTokens {
    private LockTokens() {
    }

    static byte[] toDeliveryTag(UUID token) {
        byte[] b = ByteBuffer.allocate(16).putLong(token.getMostSignificantBits())
                .putLong(token.getLeastSignificantBits()).array();
        swap(b, 0, 3);
        swap(b, 1, 2);
        swap(b, 4, 5);
        swap(b, 6, 7);
        return b;
    }

    private static void swap(byte[] b, int i, int j) {
        byte t = b[i];
        b[i] = b[j];
        b[j] = t;
    }

    /** .NET ticks (100 ns since 0001-01-01) of a Unix epoch millisecond: what locked-until-utc carries. */
    static long dotNetTicks(long epochMillis) {
        return epochMillis * 10_000L + 621_355_968_000_000_000L;
    }
}
