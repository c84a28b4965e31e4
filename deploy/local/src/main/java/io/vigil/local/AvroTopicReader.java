package io.vigil.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an Avro topic from the beginning and decodes every value with the given decoder; a value
 * that does not decode is an error naming topic, partition and offset.
 */
public final class AvroTopicReader<T> implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BinaryMessageDecoder<T> decoder;

    public AvroTopicReader(String bootstrapServers, String topic, BinaryMessageDecoder<T> decoder) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-reader-" + topic + "-" + System.nanoTime());
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.decoder = decoder;
    }

    /** Polls once and hands each decoded record, with its Kafka record, to {@code sink}. */
    public int poll(Duration timeout, Consumer<Decoded<T>> sink) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                sink.accept(new Decoded<>(decoder.decode(ByteBuffer.wrap(r.value())), r));
            } catch (IOException | AvroRuntimeException e) {
                throw new IllegalStateException(
                        "record "
                                + r.topic()
                                + "/"
                                + r.partition()
                                + "@"
                                + r.offset()
                                + " does not decode: "
                                + e.getMessage(),
                        e);
            }
            n++;
        }
        return n;
    }

    /** Polls until {@code quietFor} passes without a record or {@code max} elapses. */
    public List<Decoded<T>> drain(Duration quietFor, Duration max) {
        List<Decoded<T>> out = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (poll(Duration.ofMillis(200), out::add) > 0) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > quietFor.toNanos()) {
                break;
            }
        }
        return out;
    }

    public record Decoded<T>(T value, ConsumerRecord<byte[], byte[]> record) {}

    @Override
    public void close() {
        consumer.close();
    }
}
