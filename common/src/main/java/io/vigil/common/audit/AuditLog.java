package io.vigil.common.audit;

import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.schemas.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where audit events go. {@link #record} returns only once the event is durable, so an operation
 * reported done has been audited. On the audit topic every event is hash-chained and signed (see
 * {@link AuditChain}). Implementations never receive embeddings or images: events hold ids,
 * settings and counts only.
 */
@FunctionalInterface
public interface AuditLog {

    void record(AuditEvent event);

    /** An audit log that holds a connection. */
    interface Closeable extends AuditLog, AutoCloseable {
        @Override
        void close();
    }

    /**
     * The audit log the tools use: the audit topic, or the logger when {@code vigil.audit.sink=log}
     * (with a warning, as it is not append-only).
     */
    static Closeable open(AuditSettings audit, KafkaSettings kafka) {
        return open(audit, kafka, "vigil");
    }

    /**
     * The same for a named component (console, launcher), which starts the id of its chain.
     *
     * @throws org.apache.kafka.common.config.ConfigException when no signing key is set
     */
    static Closeable open(AuditSettings audit, KafkaSettings kafka, String component) {
        if (audit.toKafka()) {
            AuditChain chain =
                    new AuditChain(
                            component,
                            "system:" + component,
                            audit.signer(),
                            audit.checkpointInterval());
            return KafkaAuditLog.open(
                    kafka.kafka(), kafka.topic(Topic.AUDIT), chain, audit.checkpointInterval());
        }
        LoggerFactory.getLogger(AuditLog.class)
                .warn(
                        "{}=log: audit events go to the io.vigil.audit logger, not to the"
                                + " append-only topic {}",
                        AuditSettings.AUDIT_SINK,
                        kafka.topic(Topic.AUDIT));
        AuditLog log = logging();
        return new Closeable() {
            @Override
            public void record(AuditEvent event) {
                log.record(event);
            }

            @Override
            public void close() {}
        };
    }

    /** The {@code io.vigil.audit} logger; for development and tests, not append-only. */
    static AuditLog logging() {
        Logger log = LoggerFactory.getLogger("io.vigil.audit");
        return e -> log.info("{}", e);
    }
}
