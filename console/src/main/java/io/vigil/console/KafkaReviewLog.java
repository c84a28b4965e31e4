package io.vigil.console;

import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.SettledAlert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes review decisions to the reviews topic and, in the same Kafka transaction, the settled
 * alert a decision makes: a consumer reading {@code read_committed} sees one settled record per
 * alert, and never one whose decision was lost. Returns once the transaction is committed.
 */
public final class KafkaReviewLog implements ReviewDesk.ReviewLog, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String reviewsTopic;
    private final String settledTopic;

    private KafkaReviewLog(
            KafkaProducer<byte[], byte[]> producer, String reviewsTopic, String settledTopic) {
        this.producer = producer;
        this.reviewsTopic = reviewsTopic;
        this.settledTopic = settledTopic;
    }

    /** Opens a transactional producer (fencing an earlier one with the same id). */
    public static KafkaReviewLog open(
            KafkaConnection kafka,
            String transactionalId,
            String reviewsTopic,
            String settledTopic) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw new IllegalStateException(
                    "cannot start review transactions as "
                            + transactionalId
                            + " at "
                            + kafka.bootstrapServers()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return new KafkaReviewLog(producer, reviewsTopic, settledTopic);
    }

    @Override
    public synchronized void write(ReviewDecision d, Optional<SettledAlert> settled) {
        byte[] key = d.getAlertId().getBytes(StandardCharsets.UTF_8);
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(reviewsTopic, key, SyncProducer.bytes(d)));
            settled.ifPresent(
                    s ->
                            producer.send(
                                    new ProducerRecord<>(
                                            settledTopic,
                                            null,
                                            s.getSettledAt().toEpochMilli(),
                                            key,
                                            SyncProducer.bytes(s))));
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Fatal for this producer: another console took the id, or it may not write.
            throw new IllegalStateException("review decision not written: " + e.getMessage(), e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // The abort failing too leaves the transaction to time out on the broker.
            }
            throw new IllegalStateException("review decision not written: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
