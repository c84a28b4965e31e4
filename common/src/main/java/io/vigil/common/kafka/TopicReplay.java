package io.vigil.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from chosen offsets up to its end offsets at the time of the call (committed
 * records only), without a consumer group: the whole registry, or a range of the audit log.
 */
public final class TopicReplay {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicReplay() {}

    /** From the beginning of every partition. */
    public static void fromBeginning(
            KafkaConnection kafka, String topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        read(kafka, topic, c -> c.beginningOffsets(c.assignment(), TIMEOUT), sink);
    }

    /**
     * @param start the first offset of each assigned partition (null: nothing to read there)
     */
    public static void read(
            KafkaConnection kafka,
            String topic,
            Function<KafkaConsumer<byte[], byte[]>, Map<TopicPartition, Long>> start,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts =
                    consumer.partitionsFor(topic, TIMEOUT).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, TIMEOUT);
            Map<TopicPartition, Long> from = start.apply(consumer);
            for (TopicPartition tp : parts) {
                Long o = from.get(tp);
                consumer.seek(tp, o == null ? end.get(tp) : o);
            }
            // A stall, not the whole read, is bounded: a year of audit takes minutes to read.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            topic + " made no progress towards its end offsets in " + TIMEOUT);
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    records.forEach(sink);
                    deadline = System.nanoTime() + TIMEOUT.toNanos();
                }
            }
        }
    }
}
