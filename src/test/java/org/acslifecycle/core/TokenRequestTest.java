package org.acslifecycle.core;

import org.acslifecycle.core.port.AccessTokens.TokenRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the SDK does not check, the request record does, before anything is sent. */
class TokenRequestTest {

    @Test
    void lifetimesFromSixtyToFourteenFortyWholeMinutesAreAccepted() {
        assertThat(new TokenRequest(List.of("chat"), Duration.ofMinutes(60)).expiresIn()).hasMinutes(60);
        assertThat(new TokenRequest(List.of("chat"), Duration.ofMinutes(1440)).expiresIn()).hasMinutes(1440);
        assertThat(TokenRequest.of(List.of("chat")).expiresIn()).isNull();
    }

    @Test
    void lifetimesOutsideTheRangeOrNotWholeMinutesAreRefused() {
        assertThatThrownBy(() -> new TokenRequest(List.of("chat"), Duration.ofMinutes(59)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenRequest(List.of("chat"), Duration.ofMinutes(1441)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenRequest(List.of("chat"), Duration.ofMinutes(90).plusSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyScopeListIsRefusedBeforeTheSdkTurnsItIntoANullPointerException() {
        assertThatThrownBy(() -> TokenRequest.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenRequest.of(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
