package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.schemas.AuditChainLink;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.Sha256;
import io.vigil.tools.Vigil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil audit verify} on a real KRaft broker: the audit written by the tools verifies; then
 * each tampering an operator with broker access could do is reported at its offset: events appended
 * without the key (a new chain, and a sequence number claimed twice), one event rewritten in a
 * compacted copy of the topic, and records deleted with DeleteRecords (with and without an earlier
 * export of the chain heads).
 */
class AuditVerifyITCase {

    private record Run(int code, String out) {}

    private static Run vigil(Path config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("audit", "--config", config.toString()));
        argv.addAll(List.of(args));
        int code =
                Vigil.run(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        argv.toArray(String[]::new));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    private static Run verify(Path config, String... extra) {
        List<String> a =
                new ArrayList<>(List.of("verify", "--by", "auditor-1", "--reason", "quarterly"));
        a.addAll(List.of(extra));
        return vigil(config, a.toArray(String[]::new));
    }

    @Test
    void verifyFindsEachTampering(@TempDir Path work) throws Exception {
        try (LocalStack stack = LocalStack.start(work, Map.of(), 1)) {
            String topic = stack.config().auditTopic();
            stack.registerCameras("cam-a", "cam-b", "cam-c");
            Path config = work.resolve("vigil.properties");
            Properties p = new Properties();
            stack.config().originals().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
            try (Writer w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }

            Run clean = verify(config, "--heads-out", work.resolve("heads.json").toString());
            assertThat(clean.code()).as(clean.out()).isZero();
            assertThat(clean.out()).contains("INTACT").contains("signed checkpoints");
            assertThat(Files.readString(work.resolve("heads.json"))).contains("\"writer\"");

            List<ConsumerRecord<byte[], byte[]>> original = records(stack, topic);
            AuditEvent registered = null;
            int registeredAt = -1;
            for (int i = 0; i < original.size(); i++) {
                AuditEvent e = decode(original.get(i).value());
                if (e.getType() == AuditEventType.CAMERA_REGISTERED
                        && "cam-b".equals(e.getCameraId())) {
                    registered = e;
                    registeredAt = i;
                }
            }
            assertThat(registered).isNotNull();

            // A compacted copy in which one registration says something else.
            String copy = topic + ".rewritten";
            try (Admin admin = Admin.create(stack.config().kafka().properties())) {
                admin.createTopics(
                                List.of(
                                        new NewTopic(copy, 1, (short) 1)
                                                .configs(Map.of("cleanup.policy", "compact"))))
                        .all()
                        .get();
            }
            long alteredOffset = -1;
            try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
                for (int i = 0; i < original.size(); i++) {
                    ConsumerRecord<byte[], byte[]> r = original.get(i);
                    byte[] value = r.value();
                    if (i == registeredAt) {
                        AuditEvent forged = AuditEvent.newBuilder(registered).build();
                        forged.getDetails().put("location", "somewhere else");
                        value = SyncProducer.bytes(forged);
                    }
                    RecordMetadata m =
                            producer.send(
                                            new ProducerRecord<>(
                                                    copy, 0, r.timestamp(), r.key(), value))
                                    .get();
                    if (i == registeredAt) {
                        alteredOffset = m.offset();
                    }
                }
            }
            Run rewritten = verify(config, "--set", KafkaSettings.TOPIC_AUDIT + "=" + copy);
            assertThat(rewritten.code()).as(rewritten.out()).isEqualTo(1);
            assertThat(rewritten.out()).contains("ALTERED at 0@" + alteredOffset);

            // DeleteRecords: the first events of the cameras' chain are gone.
            long cut = original.get(2).offset();
            deleteBefore(stack, topic, cut);
            Run truncated = verify(config);
            assertThat(truncated.code()).as(truncated.out()).isEqualTo(1);
            assertThat(truncated.out())
                    .contains("partitions 0:[" + cut + ",")
                    .contains("TRUNCATED at 0@" + cut);

            // Appended without the key: a chain of its own (never signed), and a claimed number.
            AuditEvent first = decode(original.get(4).value());
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            AuditEvent newChain =
                    AuditEvents.event(AuditEventType.WATCHLIST_REMOVE, "admin", hourAgo)
                            .setWatchlistEntryId("entry-x")
                            .setChain(
                                    new AuditChainLink(
                                            "vigil/forged", 0L, new Sha256(new byte[32])))
                            .build();
            AuditEvent claimed =
                    AuditEvent.newBuilder(first).setEventId("forged-2").setReason("forged").build();
            long newChainOffset;
            long claimedOffset;
            try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
                newChainOffset = send(producer, topic, newChain);
                claimedOffset = send(producer, topic, claimed);
            }
            Run forged = verify(config);
            assertThat(forged.code()).as(forged.out()).isEqualTo(1);
            assertThat(forged.out())
                    .contains("UNSEALED at 0@" + newChainOffset)
                    .contains("DUPLICATE at 0@" + claimedOffset);

            // Then the whole chain: nothing on the topic shows it, the exported heads do.
            long all = original.get(4).offset();
            deleteBefore(stack, topic, all);
            Run gone = verify(config, "--heads", work.resolve("heads.json").toString());
            assertThat(gone.code()).as(gone.out()).isEqualTo(1);
            assertThat(gone.out()).contains("HEAD_GONE").contains("exported from 0@3");
        }
    }

    private static void deleteBefore(LocalStack stack, String topic, long offset) throws Exception {
        try (Admin admin = Admin.create(stack.config().kafka().properties())) {
            admin.deleteRecords(
                            Map.of(
                                    new TopicPartition(topic, 0),
                                    RecordsToDelete.beforeOffset(offset)))
                    .all()
                    .get();
        }
    }

    private static AuditEvent decode(byte[] value) throws Exception {
        return AuditEvent.getDecoder().decode(ByteBuffer.wrap(value));
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, AuditEvent e)
            throws Exception {
        return producer.send(
                        new ProducerRecord<>(
                                topic,
                                0,
                                e.getTimestamp().toEpochMilli(),
                                AuditEvents.key(e).getBytes(StandardCharsets.UTF_8),
                                SyncProducer.bytes(e)))
                .get()
                .offset();
    }

    private static KafkaProducer<byte[], byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(
                stack.config().kafka().properties(),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(LocalStack stack, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        io.vigil.common.kafka.TopicReplay.fromBeginning(stack.config().kafka(), topic, out::add);
        return out;
    }
}
