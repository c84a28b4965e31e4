package io.vigil.ingest;

import io.vigil.schemas.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes frames as Avro single-object-encoded records keyed by camera id (so one camera's frames
 * stay ordered in one partition), with the capture time as the record timestamp. Idempotent,
 * acks=all.
 */
public final class KafkaFramePublisher implements FramePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFramePublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong failures = new AtomicLong();

    public KafkaFramePublisher(String bootstrapServers, String topic, Properties overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-ingest");
        for (String k : overrides.stringPropertyNames()) {
            if (p.containsKey(k) && !p.get(k).equals(overrides.getProperty(k))) {
                LOG.warn(
                        "producer setting {}={} overrides Vigil's default {}",
                        k,
                        overrides.getProperty(k),
                        p.get(k));
            }
            p.put(k, overrides.getProperty(k));
        }
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void publish(Frame frame) {
        byte[] value;
        try {
            ByteBuffer buf = Frame.getEncoder().encode(frame);
            value = new byte[buf.remaining()];
            buf.get(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        producer.send(
                new ProducerRecord<>(
                        topic,
                        null,
                        frame.getCaptureTimestamp().toEpochMilli(),
                        frame.getCameraId(),
                        value),
                (md, e) -> {
                    if (e != null && failures.incrementAndGet() % 100 == 1) {
                        LOG.warn(
                                "camera {}: frame {} not delivered: {}",
                                frame.getCameraId(),
                                frame.getSequence(),
                                e.toString());
                    }
                });
    }

    /** Frames whose delivery failed (after the producer's own retries). */
    public long failures() {
        return failures.get();
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
