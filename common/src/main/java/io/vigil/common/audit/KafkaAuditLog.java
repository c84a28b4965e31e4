package io.vigil.common.audit;

import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.schemas.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit topic. Each {@link #record} links the event into this writer's hash chain
 * and waits for the broker's acknowledgement (all in-sync replicas, idempotent producer), so a tool
 * never reports an operation done that was not audited. A signed checkpoint follows within the
 * chain's interval (a background thread seals an idle writer) and on close. The topic is checked on
 * open: a tool that cannot audit fails before it changes anything.
 */
public final class KafkaAuditLog implements AuditLog.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditLog.class);

    private final SyncProducer producer;
    private final String topic;
    private final AuditChain chain;
    private final Clock clock;
    private final ScheduledExecutorService sealer;

    private KafkaAuditLog(
            SyncProducer producer, String topic, AuditChain chain, Duration interval, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.chain = chain;
        this.clock = clock;
        this.sealer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "audit-seal");
                            t.setDaemon(true);
                            return t;
                        });
        long every = Math.max(100, Math.min(10_000, interval.toMillis() / 4));
        sealer.scheduleWithFixedDelay(this::sealIfDue, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a producer on the audit topic and checks the topic exists.
     *
     * @throws IllegalStateException naming the topic and servers when it cannot be reached
     */
    public static KafkaAuditLog open(
            KafkaConnection kafka, String topic, AuditChain chain, Duration interval) {
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
        return new KafkaAuditLog(producer, topic, chain, interval, Clock.systemUTC());
    }

    @Override
    public synchronized void record(AuditEvent event) {
        write(chain.append(event));
        if (chain.sealDue(clock.instant())) {
            seal();
        }
    }

    private void write(AuditChain.Written w) {
        try {
            producer.send(topic, w.key(), w.value(), w.timestamp(), "audit event");
        } catch (RuntimeException e) {
            chain.inDoubt();
            throw e;
        }
    }

    private synchronized void seal() {
        chain.seal(clock.instant()).ifPresent(this::write);
    }

    private synchronized void sealIfDue() {
        try {
            if (chain.sealDue(clock.instant())) {
                seal();
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "audit checkpoint of {} not written; retrying: {}",
                    chain.writer(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        sealer.shutdownNow();
        try {
            seal();
        } catch (RuntimeException e) {
            LOG.error(
                    "final audit checkpoint of {} not written; verify will report its last events"
                            + " as unsealed: {}",
                    chain.writer(),
                    e.toString());
        } finally {
            producer.close();
        }
    }
}
