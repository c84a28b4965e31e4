package io.vigil.common.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes Avro records (single-object encoding) and waits for the broker's acknowledgement from all
 * in-sync replicas, with an idempotent producer: for records whose loss would be a gap in the
 * record of what people did (audit events, registry changes, review decisions).
 */
public final class SyncProducer implements AutoCloseable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;

    public SyncProducer(String bootstrapServers) {
        this(KafkaConnection.plaintext(bootstrapServers));
    }

    public SyncProducer(KafkaConnection kafka) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Fails fast when the topic's metadata cannot be fetched. */
    public void checkTopic(String topic) {
        producer.partitionsFor(topic);
    }

    /** Sends and waits; the timestamp may be null (the producer's clock). */
    public void send(String topic, String key, SpecificRecordBase value, Long timestamp) {
        send(topic, key, bytes(value), timestamp, value.getSchema().getName());
    }

    /** Sends bytes already encoded, and waits. */
    public void send(String topic, String key, byte[] value, Long timestamp, String what) {
        try {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    timestamp,
                                    key.getBytes(StandardCharsets.UTF_8),
                                    value))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " not written to " + topic + ": " + e, e);
        }
    }

    /** The record in Avro single-object encoding (what the generated decoders read). */
    public static byte[] bytes(SpecificRecordBase record) {
        try {
            ByteBuffer b =
                    new BinaryMessageEncoder<SpecificRecordBase>(
                                    record.getSpecificData(), record.getSchema())
                            .encode(record);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
