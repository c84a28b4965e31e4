package io.vigil.processing.audit;

import io.vigil.schemas.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The append-only audit topic. Each {@link #record} waits for the broker's acknowledgement (all
 * in-sync replicas, idempotent producer), so a tool never reports an operation done that was not
 * audited. The topic is checked on open: a tool that cannot audit fails before it changes anything.
 */
public final class KafkaAuditLog implements AuditLog.Closeable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    private KafkaAuditLog(KafkaProducer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Opens a producer on the audit topic and checks the topic exists.
     *
     * @throws IllegalStateException naming the topic and servers when it cannot be reached
     */
    public static KafkaAuditLog open(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        try {
            producer.partitionsFor(topic);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw new IllegalStateException(
                    "audit topic "
                            + topic
                            + " at "
                            + bootstrapServers
                            + " is not reachable ("
                            + e.getMessage()
                            + "); nothing was done, because every operation must be audited",
                    e);
        }
        return new KafkaAuditLog(producer, topic);
    }

    @Override
    public void record(AuditEvent event) {
        byte[] value;
        try {
            ByteBuffer b = event.toByteBuffer();
            value = new byte[b.remaining()];
            b.get(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] key = AuditEvents.key(event).getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(
                            new ProducerRecord<>(
                                    topic, null, event.getTimestamp().toEpochMilli(), key, value))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing the audit event", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "audit event " + event.getType() + " was not written to " + topic + ": " + e,
                    e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
