package org.acslifecycle.emulators.servicebus.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class LockTokensTest {

    @Test
    void deliveryTagIsTheLockTokenInDotNetGuidByteOrder() {
        UUID token = UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10");

        assertThat(LockTokens.toDeliveryTag(token))
                .containsExactly(0x04, 0x03, 0x02, 0x01, 0x06, 0x05, 0x08, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10);
    }

    @Test
    void lockedUntilTicksCountFromYearOne() {
        assertThat(LockTokens.dotNetTicks(0)).isEqualTo(621_355_968_000_000_000L);
        assertThat(LockTokens.dotNetTicks(1)).isEqualTo(621_355_968_000_010_000L);
    }
}
