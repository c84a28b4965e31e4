package io.vigil.job;

import io.vigil.schemas.CameraRegistration;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry topic records. A record that is not a registration is logged and skipped: it cannot
 * authorize anything, and a registry change is audited where it is made.
 */
public final class CameraRegistrationDeserializer
        implements KafkaRecordDeserializationSchema<CameraRegistration> {
    static {
        AvroLimits.apply();
    }

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CameraRegistrationDeserializer.class);

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<CameraRegistration> out) {
        if (record.value() == null) {
            return;
        }
        try {
            out.collect(CameraRegistration.getDecoder().decode(ByteBuffer.wrap(record.value())));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "{}-{}@{} is not a CameraRegistration, skipped: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
        }
    }

    @Override
    public TypeInformation<CameraRegistration> getProducedType() {
        return new AvroTypeInfo<>(CameraRegistration.class);
    }
}
