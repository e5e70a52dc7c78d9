package org.acslifecycle.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.acslifecycle.core.EventKey;
import org.junit.jupiter.api.Test;

/** One derivation of MessageIds: the de-duplication key is source AND id, for publishers, retries and replays. */
class MessageIdsTest {

    @Test
    void theMessageIdIsTheNameBasedUuidOfSourceAndId() {
        assertThat(MessageIds.of("/hr/workday", "42")).isEqualTo(UUID.nameUUIDFromBytes(
                "/hr/workday\n42".getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Test
    void twoPublishersUsingTheSameIdGetDifferentMessageIds() {
        assertThat(MessageIds.of("/hr/workday", "42")).isNotEqualTo(MessageIds.of("/hr/sap", "42"));
        // The separator keeps the pair unambiguous: ("/hr/a", "b\nc") is not ("/hr/a\nb", "c").
        assertThat(MessageIds.of("/hr/a", "b\nc")).isEqualTo(MessageIds.of("/hr/a\nb", "c"));
    }

    @Test
    void copiesDifferFromTheOriginalAndFromEachOtherButARepeatedReplayIsTheSame() {
        EventKey key = new EventKey("/hr/workday", "42");
        String original = MessageIds.of(key);

        assertThat(MessageIds.retryCopy(key, 1, 1000)).isNotEqualTo(original)
                .isNotEqualTo(MessageIds.retryCopy(key, 2, 1000)).isNotEqualTo(MessageIds.retryCopy(key, 1, 2000));
        assertThat(MessageIds.replayCopy(Optional.of(key), "any", 7)).isNotEqualTo(original)
                .isEqualTo(MessageIds.replayCopy(Optional.of(key), "another", 7))
                .isNotEqualTo(MessageIds.replayCopy(Optional.of(key), "any", 8));
        assertThat(MessageIds.replayCopy(Optional.empty(), "poison-1", 7))
                .as("no CloudEvent: the dead letter's own MessageId stands in")
                .isNotEqualTo(MessageIds.replayCopy(Optional.empty(), "poison-2", 7));
    }

    @Test
    void theKeyIsReadFromAStructuredBodyOrBinaryModeProperties() {
        byte[] structured = "{\"id\":\"42\",\"source\":\"/hr/workday\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(MessageIds.keyOf(structured, Map.of())).contains(new EventKey("/hr/workday", "42"));
        assertThat(MessageIds.keyOf("{}".getBytes(StandardCharsets.UTF_8),
                Map.of("cloudEvents_id", "43", "cloudEvents_source", "/hr/sap"))).contains(new EventKey("/hr/sap", "43"));
        assertThat(MessageIds.keyOf(new byte[] {1, 2},
                Map.of("cloudEvents:id", "44", "cloudEvents:source", "/hr/sap"))).contains(new EventKey("/hr/sap", "44"));
        assertThat(MessageIds.keyOf("{\"id\":42,\"source\":\"/hr/x\"}".getBytes(StandardCharsets.UTF_8), Map.of()))
                .as("a number is not an id").isEmpty();
        assertThat(MessageIds.keyOf("not json".getBytes(StandardCharsets.UTF_8), Map.of())).isEmpty();
    }
}
