package io.vigil.common.audit;

import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.schemas.AuditEvent;

/**
 * The append-only audit topic. Each {@link #record} waits for the broker's acknowledgement (all
 * in-sync replicas, idempotent producer), so a tool never reports an operation done that was not
 * audited. The topic is checked on open: a tool that cannot audit fails before it changes anything.
 */
public final class KafkaAuditLog implements AuditLog.Closeable {
    private final SyncProducer producer;
    private final String topic;

    private KafkaAuditLog(SyncProducer producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Opens a producer on the audit topic and checks the topic exists.
     *
     * @throws IllegalStateException naming the topic and servers when it cannot be reached
     */
    public static KafkaAuditLog open(KafkaConnection kafka, String topic) {
        SyncProducer producer = new SyncProducer(kafka);
        try {
            producer.checkTopic(topic);
        } catch (RuntimeException e) {
            producer.close();
            throw new IllegalStateException(
                    "audit topic "
                            + topic
                            + " at "
                            + kafka.bootstrapServers()
                            + " is not reachable ("
                            + e.getMessage()
                            + "); nothing was done, because every operation must be audited",
                    e);
        }
        return new KafkaAuditLog(producer, topic);
    }

    @Override
    public void record(AuditEvent event) {
        producer.send(topic, AuditEvents.key(event), event, event.getTimestamp().toEpochMilli());
    }

    @Override
    public void close() {
        producer.close();
    }
}
