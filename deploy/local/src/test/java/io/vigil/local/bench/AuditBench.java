package io.vigil.local.bench;

import io.vigil.common.audit.AuditChain;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditKeys;
import io.vigil.common.audit.AuditVerification;
import io.vigil.common.audit.AuditVerifier;
import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.local.EmbeddedKafkaBroker;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the tamper-evident audit log costs: per event, encoding alone (the baseline) against
 * encoding, linking and hashing; per checkpoint, signing; then {@code vigil audit verify}'s read of
 * a large audit topic on a real broker, in events per second. Usage: {@code AuditBench [EVENTS]
 * [EVENTS_PER_CHECKPOINT]}, default 1,000,000 events and a checkpoint per 10 events.
 */
public final class AuditBench {
    /** Events every half second, a month back: a busy city's year holds fewer. */
    private static final Instant T0 = Instant.now().minus(Duration.ofDays(30));

    private static final long SPACING_MS = 500;
    private static final int WRITERS = 9;

    private AuditBench() {}

    /** An alert event as the job writes it: ids and settings, about 400 bytes. */
    static AuditEvent event(long i) {
        return AuditEvents.event(
                        i % 3 == 0 ? AuditEventType.REVIEW_DECISION : AuditEventType.ALERT_RAISED,
                        i % 3 == 0 ? "reviewer-" + (i % 40) : "system:vigil-watchlist-matching",
                        T0.plusMillis(i * SPACING_MS))
                .setAlertId("cam-" + (i % 997) + "-alert-" + i)
                .setCameraId("cam-" + (i % 997))
                .setWatchlistEntryId("entry-" + (i % 5000))
                .setExternalId("person-" + (i % 5000))
                .setReason("CASE-2026-" + (i % 400))
                .setDetails(
                        AuditEvents.details(
                                "similarity",
                                "0.6" + (i % 10),
                                "threshold",
                                "0.52",
                                "supportingFrames",
                                5,
                                "firstSeen",
                                T0.plusMillis(i * 8_000 - 3000),
                                "legalBasis",
                                "CASE-2026-" + (i % 400) + " (court order)",
                                "modelId",
                                "sface-2021dec-int8"))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int perSeal = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("vigil-audit-bench");
        Path keyFile = AuditKeys.write(AuditKeys.generate(), dir.resolve("keys"));
        AuditKeys.Signer signer = AuditKeys.signer(keyFile, "bench");
        PublicKey pub = AuditKeys.publicKey(AuditKeys.publicKeyBeside(keyFile));

        int warm = Math.min(n, 200_000);
        List<AuditEvent> events = new ArrayList<>(warm);
        for (int i = 0; i < warm; i++) {
            events.add(event(i));
        }
        double baseNs = 0;
        double chainNs = 0;
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            long sink = 0;
            for (AuditEvent e : events) {
                sink += SyncProducer.bytes(e).length;
            }
            baseNs = (System.nanoTime() - t) / (double) warm;
            AuditChain chain = new AuditChain("bench", "system:bench", signer, Duration.ofHours(1));
            t = System.nanoTime();
            for (AuditEvent e : events) {
                sink += chain.append(e).value().length;
            }
            chainNs = (System.nanoTime() - t) / (double) warm;
            if (sink == 42) {
                System.out.println();
            }
        }
        AuditChain chain = new AuditChain("bench", "system:bench", signer, Duration.ofHours(1));
        int seals = 5_000;
        long t = System.nanoTime();
        for (int i = 0; i < seals; i++) {
            chain.append(events.get(i));
            chain.seal(T0.plusSeconds(i));
        }
        double sealNs = (System.nanoTime() - t) / (double) seals - chainNs;
        int plain = SyncProducer.bytes(events.get(1)).length;
        AuditChain sizes = new AuditChain("job-3", "system:job", signer, Duration.ofMinutes(1));
        int chained = sizes.append(events.get(1)).value().length;
        int sealBytes = sizes.seal(T0).orElseThrow().value().length;

        System.out.printf(
                Locale.ROOT,
                "per event: encode %.2f us, encode+link+hash %.2f us (+%.2f us); per checkpoint:"
                        + " sign %.1f us; bytes: event %d -> %d chained, checkpoint %d%n",
                baseNs / 1e3,
                chainNs / 1e3,
                (chainNs - baseNs) / 1e3,
                sealNs / 1e3,
                plain,
                chained,
                sealBytes);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
            String topic = "vigil.audit.bench";
            try (Admin admin = Admin.create(kafka.properties())) {
                admin.createTopics(
                                List.of(
                                        new NewTopic(topic, 1, (short) 1)
                                                .configs(java.util.Map.of("retention.ms", "-1"))))
                        .all()
                        .get();
            }
            long written = write(kafka, topic, n, perSeal, signer);
            for (int round = 0; round < 2; round++) {
                Runtime.getRuntime().gc();
                long before = used();
                long t1 = System.nanoTime();
                AuditVerification.Report r =
                        AuditVerification.verify(
                                kafka,
                                topic,
                                null,
                                new AuditVerifier(
                                        List.of(pub), Duration.ofMinutes(5), true, List.of()),
                                Instant.now());
                double s = (System.nanoTime() - t1) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "verify %s: %d records (%d checkpoints, %d writers) in %.1f s = %.0f"
                                + " records/s; findings %d; heap after %.0f MB (%.0f MB over the"
                                + " start)%n",
                        round == 0 ? "(cold)" : "(warm)",
                        r.result().records(),
                        r.result().checkpoints(),
                        r.result().writers(),
                        s,
                        r.result().records() / s,
                        r.result().findings().size(),
                        used() / 1e6,
                        (used() - before) / 1e6);
                if (r.result().records() != written || !r.result().intact()) {
                    throw new IllegalStateException(
                            "verify did not see the intact topic: "
                                    + r.result().records()
                                    + " of "
                                    + written
                                    + " records, "
                                    + r.result().findings().stream().limit(5).toList());
                }
            }
        }
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** n events over WRITERS chains, a checkpoint after every perSeal events of a chain. */
    private static long write(
            KafkaConnection kafka, String topic, int n, int perSeal, AuditKeys.Signer signer) {
        Properties p = kafka.properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<AuditChain> chains = new ArrayList<>();
        int[] since = new int[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            chains.add(new AuditChain("job-" + w, "system:job", signer, Duration.ofMinutes(1)));
        }
        long records = 0;
        long t = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                int w = i % WRITERS;
                AuditEvent e = event(i);
                records += send(producer, topic, chains.get(w).append(e));
                if (++since[w] == perSeal) {
                    since[w] = 0;
                    records +=
                            send(
                                    producer,
                                    topic,
                                    chains.get(w).seal(e.getTimestamp()).orElseThrow());
                }
            }
            for (AuditChain c : chains) {
                var last = c.seal(T0.plusMillis(n * SPACING_MS));
                if (last.isPresent()) {
                    records += send(producer, topic, last.get());
                }
            }
            producer.flush();
        }
        System.out.printf(
                Locale.ROOT,
                "wrote %d records (%d events) in %.1f s%n",
                records,
                n,
                (System.nanoTime() - t) / 1e9);
        return records;
    }

    private static int send(
            KafkaProducer<byte[], byte[]> producer, String topic, AuditChain.Written w) {
        producer.send(
                new ProducerRecord<>(
                        topic,
                        0,
                        w.timestamp(),
                        w.key().getBytes(StandardCharsets.UTF_8),
                        w.value()));
        return 1;
    }
}
