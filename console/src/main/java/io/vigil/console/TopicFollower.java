package io.vigil.console;

import io.vigil.common.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads topics from their beginning on one thread (committed records only) and hands each record to
 * its topic's handler, so the console's view is rebuilt from the topics at every start.
 */
final class TopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> handlers;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Map<TopicPartition, Long> endOffsets;

    TopicFollower(
            KafkaConnection kafka, Map<String, Consumer<ConsumerRecord<byte[], byte[]>>> handlers) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.handlers = new ConcurrentHashMap<>(handlers);
        this.thread = new Thread(this::run, "console-topics");
        this.thread.setDaemon(true);
    }

    void start() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : handlers.keySet()) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        endOffsets = consumer.endOffsets(parts);
        thread.start();
        LOG.info(
                "following {} from the beginning ({} partitions)", handlers.keySet(), parts.size());
    }

    /** Waits until the records present at start have been handled. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    try {
                        handlers.get(r.topic()).accept(r);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "{}-{}@{} skipped: {}",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                e.toString());
                    }
                }
                if (caughtUp.getCount() > 0 && endOffsets != null) {
                    Map<TopicPartition, Long> end = endOffsets;
                    if (end.entrySet().stream()
                            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
