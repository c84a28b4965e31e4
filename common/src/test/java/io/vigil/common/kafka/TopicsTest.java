package io.vigil.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {
    private final KafkaSettings settings = new KafkaSettings(Map.of());

    @Test
    void oneBrokerGetsOneCopyAndNoInSyncMinimum() {
        List<NewTopic> topics = Topics.all(settings, 4);
        assertThat(topics).hasSize(Topic.values().length);
        assertThat(topics).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 1));
        assertThat(topics)
                .allSatisfy(t -> assertThat(t.configs()).doesNotContainKey("min.insync.replicas"));
    }

    @Test
    void threeCopiesNeedTwoInSyncSoOneBrokerCanBeLost() {
        List<NewTopic> topics = Topics.all(settings, 8, (short) 3);
        assertThat(topics)
                .allSatisfy(
                        t -> {
                            assertThat(t.replicationFactor()).isEqualTo((short) 3);
                            assertThat(t.configs()).containsEntry("min.insync.replicas", "2");
                        });
        assertThat(topics)
                .filteredOn(t -> t.name().equals(settings.topic(Topic.FRAMES)))
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.numPartitions()).isEqualTo(8);
                            // The registry's own settings are kept beside it.
                            assertThat(t.configs()).containsEntry("retention.ms", "3600000");
                        });
    }

    @Test
    void refusesNoCopies() {
        assertThatThrownBy(() -> Topics.all(settings, 4, (short) 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicas");
    }
}
