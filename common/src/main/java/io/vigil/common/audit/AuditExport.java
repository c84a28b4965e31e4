package io.vigil.common.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.TopicReplay;
import io.vigil.schemas.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the audit topic for a time range (record timestamps, which are the event times) and returns
 * the events in time order. Only committed records are read, so an event the job wrote in a
 * transaction that was later aborted is never exported.
 */
public final class AuditExport {
    private static final Logger LOG = LoggerFactory.getLogger(AuditExport.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditExport() {}

    /** Events with from <= timestamp < to, of the given types (all when empty), by time. */
    public static List<AuditEvent> read(
            KafkaConnection kafka, String topic, Instant from, Instant to, Set<String> types) {
        List<AuditEvent> out = new ArrayList<>();
        TopicReplay.read(
                kafka,
                topic,
                c -> {
                    Map<TopicPartition, Long> query = new HashMap<>();
                    c.assignment().forEach(tp -> query.put(tp, from.toEpochMilli()));
                    Map<TopicPartition, Long> start = new HashMap<>();
                    c.offsetsForTimes(query, TIMEOUT)
                            .forEach((tp, o) -> start.put(tp, o == null ? null : o.offset()));
                    return start;
                },
                r -> {
                    AuditEvent e = decode(r);
                    if (e == null) {
                        return;
                    }
                    long t = e.getTimestamp().toEpochMilli();
                    if (t >= from.toEpochMilli()
                            && t < to.toEpochMilli()
                            && (types.isEmpty() || types.contains(e.getType().name()))) {
                        out.add(e);
                    }
                });
        out.sort(
                Comparator.comparing(AuditEvent::getTimestamp)
                        .thenComparing(AuditEvent::getEventId));
        return out;
    }

    private static AuditEvent decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return AuditEvent.getDecoder().decode(ByteBuffer.wrap(r.value()));
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "{}-{}@{} is not an AuditEvent: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.toString());
            return null;
        }
    }

    /** One event as a JSON object (JSON Lines when written one per line). */
    public static String json(AuditEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("eventId", e.getEventId());
        n.put("type", e.getType().name());
        n.put("timestamp", e.getTimestamp().toString());
        n.put("actor", e.getActor());
        put(n, "reason", e.getReason());
        put(n, "cameraId", e.getCameraId());
        put(n, "watchlistEntryId", e.getWatchlistEntryId());
        put(n, "externalId", e.getExternalId());
        put(n, "alertId", e.getAlertId());
        ObjectNode d = n.putObject("details");
        e.getDetails().forEach((k, v) -> d.put(k.toString(), v));
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Writes events as JSON Lines. */
    public static void writeJsonLines(List<AuditEvent> events, Consumer<String> line) {
        events.forEach(e -> line.accept(json(e)));
    }

    private static void put(ObjectNode n, String k, String v) {
        if (v != null) {
            n.put(k, v);
        }
    }
}
