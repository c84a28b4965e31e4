package io.vigil.common.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.TopicReplay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Verifies the audit topic (committed records, every partition) and keeps chain heads outside
 * Kafka: an export of the heads, checked by a later verify, shows a topic truncated or replaced in
 * between even when whole chains were removed.
 */
public final class AuditVerification {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditVerification() {}

    /** The outcome, with each partition's first and end offsets at the time of the read. */
    public record Report(
            String topic,
            Instant verifiedAt,
            AuditVerifier.Result result,
            Map<Integer, long[]> partitions) {}

    /** The grace verify gives a writer beyond its checkpoint interval, unless told otherwise. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);

    /**
     * The keys to trust: those given, else the public key beside the signing key ({@code
     * audit-signing.pub.pem}, as {@code vigil audit keygen} writes it).
     */
    public static List<PublicKey> trustedKeys(AuditSettings audit, List<Path> given) {
        List<PublicKey> keys = new ArrayList<>();
        if (given.isEmpty()) {
            keys.add(AuditKeys.publicKey(AuditKeys.publicKeyBeside(audit.signingKeyFile())));
        } else {
            given.forEach(k -> keys.add(AuditKeys.publicKey(k)));
        }
        return keys;
    }

    /** The whole topic, from its beginning, with the default grace. */
    public static Report verifyAll(KafkaConnection kafka, String topic, List<PublicKey> keys) {
        return verify(
                kafka,
                topic,
                null,
                new AuditVerifier(keys, DEFAULT_GRACE, true, List.of()),
                Instant.now());
    }

    /**
     * Reads the topic from {@code from} (the beginning when null) to its end and feeds the
     * verifier.
     */
    public static Report verify(
            KafkaConnection kafka,
            String topic,
            Instant from,
            AuditVerifier verifier,
            Instant now) {
        Map<Integer, long[]> partitions = new TreeMap<>();
        TopicReplay.read(
                kafka,
                topic,
                c -> {
                    Map<TopicPartition, Long> begin = c.beginningOffsets(c.assignment(), TIMEOUT);
                    Map<TopicPartition, Long> end = c.endOffsets(c.assignment(), TIMEOUT);
                    begin.forEach(
                            (tp, o) -> partitions.put(tp.partition(), new long[] {o, end.get(tp)}));
                    if (from == null) {
                        return begin;
                    }
                    Map<TopicPartition, Long> query = new HashMap<>();
                    c.assignment().forEach(tp -> query.put(tp, from.toEpochMilli()));
                    Map<TopicPartition, Long> start = new HashMap<>();
                    c.offsetsForTimes(query, TIMEOUT)
                            .forEach((tp, o) -> start.put(tp, o == null ? null : o.offset()));
                    return start;
                },
                r -> verifier.accept(r.partition(), r.offset(), r.timestamp(), r.value()));
        return new Report(topic, now, verifier.finish(now), partitions);
    }

    /** The heads and partition offsets as JSON, to keep outside Kafka. */
    public static void writeHeads(Report report, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("topic", report.topic());
        root.put("verifiedAt", report.verifiedAt().toString());
        root.put("intact", report.result().intact());
        ArrayNode parts = root.putArray("partitions");
        report.partitions()
                .forEach(
                        (p, o) ->
                                parts.addObject()
                                        .put("partition", p)
                                        .put("start", o[0])
                                        .put("end", o[1]));
        ArrayNode heads = root.putArray("heads");
        for (AuditVerifier.Head h : report.result().heads()) {
            heads.addObject()
                    .put("writer", h.writer())
                    .put("seq", h.seq())
                    .put("hash", h.hash())
                    .put("partition", h.partition())
                    .put("offset", h.offset())
                    .put("time", Instant.ofEpochMilli(h.time()).toString());
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(
                    file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chain heads to " + file, e);
        }
    }

    /** The heads of an export written by {@link #writeHeads}. */
    public static List<AuditVerifier.Head> readHeads(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read chain heads from " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.path("heads").isArray()) {
            throw new IllegalArgumentException(file + " holds no chain heads");
        }
        List<AuditVerifier.Head> out = new ArrayList<>();
        for (JsonNode h : root.path("heads")) {
            out.add(
                    new AuditVerifier.Head(
                            h.path("writer").asText(),
                            h.path("seq").asLong(),
                            h.path("hash").asText(),
                            h.path("partition").asInt(),
                            h.path("offset").asLong(),
                            Instant.parse(h.path("time").asText()).toEpochMilli()));
        }
        return out;
    }
}
