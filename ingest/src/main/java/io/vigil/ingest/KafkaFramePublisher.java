package io.vigil.ingest;

import io.vigil.schemas.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Memory is bounded when Kafka is slow or down: frames wait in a queue of at most {@code
 * maxQueuedFrames}, drained by one sender thread, so a camera's grab loop never waits on Kafka's
 * metadata or buffer. When the queue is full the {@link Overflow} policy decides: {@code
 * DROP_OLDEST} (live cameras: the stalest frame goes, counted) or {@code BLOCK} (files, tests:
 * nothing is dropped, the camera waits).
 */
public final class KafkaFramePublisher implements FramePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFramePublisher.class);

    /** What {@link #publish} does when the queue is full. */
    public enum Overflow {
        BLOCK,
        DROP_OLDEST
    }

    /** Default queue: about two minutes of one camera at 2 fps. */
    public static final int DEFAULT_MAX_QUEUED_FRAMES = 256;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Overflow overflow;
    private final ArrayBlockingQueue<Frame> queue;
    private final Thread sender;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    public KafkaFramePublisher(String bootstrapServers, String topic, Properties overrides) {
        this(bootstrapServers, topic, overrides, Overflow.DROP_OLDEST, DEFAULT_MAX_QUEUED_FRAMES);
    }

    public KafkaFramePublisher(
            String bootstrapServers,
            String topic,
            Properties overrides,
            Overflow overflow,
            int maxQueuedFrames) {
        if (maxQueuedFrames < 1) {
            throw new IllegalArgumentException("maxQueuedFrames must be >= 1");
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-ingest");
        // Only the sender thread waits on a Kafka outage, for up to five minutes; the queue in
        // front of it decides what the cameras do meanwhile.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
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
        this.overflow = overflow;
        this.queue = new ArrayBlockingQueue<>(maxQueuedFrames);
        this.sender = new Thread(this::drain, "frame-sender-" + topic);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void publish(Frame frame) {
        if (closing) {
            throw new IllegalStateException("publisher is closed");
        }
        pending.incrementAndGet();
        if (overflow == Overflow.BLOCK) {
            try {
                queue.put(frame);
            } catch (InterruptedException e) {
                pending.decrementAndGet();
                Thread.currentThread().interrupt();
            }
            return;
        }
        while (!queue.offer(frame)) {
            Frame stale = queue.poll();
            if (stale != null) {
                pending.decrementAndGet();
                if (dropped.incrementAndGet() % 100 == 1) {
                    LOG.warn(
                            "Kafka is not keeping up: dropped frame {} of camera {} ({} dropped so"
                                    + " far)",
                            stale.getSequence(),
                            stale.getCameraId(),
                            dropped.get());
                }
            }
        }
    }

    private void drain() {
        while (!closing || !queue.isEmpty()) {
            Frame f;
            try {
                f = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (f == null) {
                continue;
            }
            try {
                send(f);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.warn(
                        "camera {}: frame {} not sent: {}",
                        f.getCameraId(),
                        f.getSequence(),
                        e.toString());
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private void send(Frame frame) {
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
                    if (e == null) {
                        delivered.incrementAndGet();
                    } else if (failures.incrementAndGet() % 100 == 1) {
                        LOG.warn(
                                "camera {}: frame {} not delivered: {}",
                                frame.getCameraId(),
                                frame.getSequence(),
                                e.toString());
                    }
                });
    }

    /** Frames Kafka acknowledged (all in-sync replicas). */
    public long delivered() {
        return delivered.get();
    }

    /** Frames whose delivery failed (after the producer's own retries). */
    public long failures() {
        return failures.get();
    }

    /** Frames dropped from a full queue under {@link Overflow#DROP_OLDEST}. */
    public long dropped() {
        return dropped.get();
    }

    /** Frames waiting for the sender. */
    public int queued() {
        return queue.size();
    }

    /** Waits until every queued frame was handed to Kafka and acknowledged (or failed). */
    @Override
    public void flush() {
        while (pending.get() > 0 && sender.isAlive()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        producer.flush();
    }

    @Override
    public void close() {
        flush();
        closing = true;
        try {
            sender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
