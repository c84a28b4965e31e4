package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.common.kafka.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention that really deletes: with the segment roll time {@link Topics} sets, a frame is gone
 * from the topic within its retention plus a segment plus the broker's retention check, not when a
 * 1 GiB or 7-day segment eventually closes (real KRaft broker).
 */
class RetentionITCase {

    @Test
    void aFrameIsUnreadableWithinItsRetentionPlusASegment(@TempDir Path work) throws Exception {
        long retentionMs = 3_000;
        long checkMs = 1_000;
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(
                        work.resolve("kafka"),
                        Map.of(
                                "log.retention.check.interval.ms",
                                String.valueOf(checkMs),
                                // The first check otherwise waits 30 s after the broker starts.
                                "log.initial.task.delay.ms",
                                "0"))) {
            // The frames topic's settings as Topics makes them, at a retention short enough to
            // wait for (the setting itself allows one minute at least).
            NewTopic frames =
                    new NewTopic("vigil.frames", 1, (short) 1)
                            .configs(Topic.FRAMES.configs(retentionMs));
            assertThat(frames.configs())
                    .containsEntry("retention.ms", "3000")
                    .containsEntry("segment.ms", "1000");
            assertThat(Topics.all(new KafkaSettings(Map.of()), 1).get(0).configs())
                    .containsEntry("segment.ms", "360000");
            Topics.create(broker.bootstrapServers(), List.of(frames));

            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            TopicPartition tp = new TopicPartition(frames.name(), 0);
            long bound = retentionMs + 1_000 + checkMs + 10_000;
            long deletedAfter = -1;
            // A busy camera: frames keep arriving, so the segment holding the first one is never
            // idle; only rolling by time lets retention remove it.
            try (KafkaProducer<byte[], byte[]> producer =
                            new KafkaProducer<>(
                                    p, new ByteArraySerializer(), new ByteArraySerializer());
                    KafkaConsumer<byte[], byte[]> consumer =
                            new KafkaConsumer<>(
                                    p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                producer.send(new ProducerRecord<>(frames.name(), new byte[] {1}, new byte[100]))
                        .get();
                long written = System.currentTimeMillis();
                while (System.currentTimeMillis() - written < bound + 10_000) {
                    producer.send(
                                    new ProducerRecord<>(
                                            frames.name(), new byte[] {2}, new byte[100]))
                            .get();
                    if (consumer.beginningOffsets(List.of(tp)).get(tp) > 0) {
                        deletedAfter = System.currentTimeMillis() - written;
                        break;
                    }
                    Thread.sleep(200);
                }
            }
            System.out.printf("frame deleted %d ms after it was written%n", deletedAfter);
            assertThat(deletedAfter).isPositive().isLessThanOrEqualTo(bound);
        }
    }
}
