package io.vigil.watchlist.camera;

import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.common.kafka.TopicReplay;
import io.vigil.schemas.CameraRegistration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry on its compacted topic (key: camera id). Reading replays the topic from the start to
 * its end offsets at the time of the call, so the result is complete up to that moment.
 */
public final class KafkaCameraStore implements CameraStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCameraStore.class);

    private final KafkaConnection kafka;
    private final String topic;
    private SyncProducer producer;

    public KafkaCameraStore(KafkaConnection kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    @Override
    public Map<String, CameraRegistration> all() {
        Map<String, CameraRegistration> out = new HashMap<>();
        TopicReplay.fromBeginning(
                kafka,
                topic,
                r -> {
                    if (r.value() == null) {
                        out.remove(new String(r.key(), StandardCharsets.UTF_8));
                        return;
                    }
                    try {
                        CameraRegistration reg =
                                CameraRegistration.getDecoder().decode(ByteBuffer.wrap(r.value()));
                        out.put(reg.getCameraId(), reg);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn(
                                "{}-{}@{} is not a CameraRegistration, skipped: {}",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                e.toString());
                    }
                });
        return out;
    }

    @Override
    public synchronized void put(CameraRegistration registration) {
        if (producer == null) {
            producer = new SyncProducer(kafka);
        }
        producer.send(topic, registration.getCameraId(), registration, null);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
