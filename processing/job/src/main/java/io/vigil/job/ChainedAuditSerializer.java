package io.vigil.job;

import io.vigil.common.audit.AuditChain;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes chained audit records as they are: their bytes were hashed into the chain, so they must
 * not be encoded again.
 */
public final class ChainedAuditSerializer
        implements KafkaRecordSerializationSchema<AuditChain.Written>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public ChainedAuditSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            AuditChain.Written w, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, w.timestamp(), w.key().getBytes(StandardCharsets.UTF_8), w.value());
    }
}
