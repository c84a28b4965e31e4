package io.vigil.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Avro records in single-object encoding (magic, CRC-64 schema fingerprint, binary body), so
 * every consumer can tell which schema wrote a message and fail clearly on a mismatch.
 *
 * <p>Names its topic to the sink ({@link KafkaDatasetFacetProvider}): with pooled transaction names
 * the sink lists the open transactions on its topics after a restart, to abort leftovers.
 */
public final class AvroRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final KeySelector<T, String> key;
    private transient BinaryMessageEncoder<T> encoder;

    public AvroRecordSerializer(String topic, KeySelector<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (encoder == null) {
            encoder = new BinaryMessageEncoder<>(SpecificData.get(), element.getSchema());
        }
        try {
            ByteBuffer buf = encoder.encode(element);
            byte[] value = new byte[buf.remaining()];
            buf.get(value);
            String k = key.getKey(element);
            return new ProducerRecord<>(
                    topic,
                    null,
                    timestamp,
                    k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                    value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot key record for topic " + topic, e);
        }
    }
}
