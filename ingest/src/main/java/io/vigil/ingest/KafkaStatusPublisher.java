package io.vigil.ingest;

import io.vigil.schemas.CameraStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes {@link CameraStatus} records (Avro, key = camera id) to the camera-status topic. */
public final class KafkaStatusPublisher implements Consumer<CameraStatus>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStatusPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public KafkaStatusPublisher(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, new Properties());
    }

    /** {@code client}: a secured cluster's settings (security.protocol, sasl.*, ssl.*). */
    public KafkaStatusPublisher(String bootstrapServers, String topic, Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-camera-status");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void accept(CameraStatus status) {
        byte[] value;
        try {
            ByteBuffer b = CameraStatus.getEncoder().encode(status);
            value = new byte[b.remaining()];
            b.get(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        producer.send(
                new ProducerRecord<>(topic, status.getCameraId(), value),
                (md, e) -> {
                    if (e != null) {
                        LOG.warn(
                                "camera {}: status not delivered: {}",
                                status.getCameraId(),
                                e.toString());
                    }
                });
    }

    @Override
    public void close() {
        producer.close();
    }
}
