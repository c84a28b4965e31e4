package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topics;
import io.vigil.job.PipelineConfig;
import io.vigil.local.KafkaAccess.Component;
import io.vigil.local.KafkaAccess.Grant;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege ACLs of {@link KafkaAccess} on a real broker running Kafka's own {@code
 * StandardAuthorizer} (nothing allowed without an ACL): each component can do its job, and reading,
 * writing or administering anything else is refused, above all the audit log's records, retention
 * and existence.
 */
class KafkaAccessITCase {
    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static PipelineConfig config;
    private static Map<Component, List<Grant>> access;
    private static List<String> topics;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> users = new HashMap<>();
        for (Component c : Component.values()) {
            users.put(c.user, c.user + "-pw");
        }
        broker = EmbeddedKafkaBroker.startWithAuthorizer(dir.resolve("kafka"), users);
        config =
                PipelineConfig.load(
                        null,
                        Map.of(),
                        Map.of(
                                KafkaSettings.BOOTSTRAP_SERVERS,
                                broker.bootstrapServers(),
                                WatchlistSettings.WATCHLIST_INDEX_DIR,
                                dir.resolve("index").toString()));
        List<NewTopic> all = Topics.all(config.kafkaSettings(), 2);
        Topics.create(broker.bootstrapServers(), all);
        topics = all.stream().map(NewTopic::name).toList();
        access = KafkaAccess.of(config);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>();
            access.forEach((c, grants) -> acls.addAll(KafkaAccess.bindings(c, grants)));
            admin.createAcls(acls).all().get();
        }
        // One record on every topic, so a permitted read has something to read.
        try (KafkaProducer<byte[], byte[]> p = producer(null, Map.of())) {
            for (String t : topics) {
                p.send(new ProducerRecord<>(t, 0, new byte[] {1}, new byte[] {1})).get();
            }
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Client settings as a component's pod has them; null: the super user. */
    static Map<String, Object> client(Component who) {
        Map<String, Object> p = new HashMap<>();
        if (who == null) {
            p.put("bootstrap.servers", broker.bootstrapServers());
            return p;
        }
        p.put("bootstrap.servers", broker.saslBootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + who.user
                        + "\" password=\""
                        + who.user
                        + "-pw\";");
        return p;
    }

    static KafkaProducer<byte[], byte[]> producer(Component who, Map<String, Object> extra) {
        Map<String, Object> p = client(who);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        p.putAll(extra);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static boolean canWrite(Component who, String topic) {
        try (KafkaProducer<byte[], byte[]> p = producer(who, Map.of())) {
            p.send(new ProducerRecord<>(topic, 0, new byte[] {2}, new byte[] {2})).get();
            return true;
        } catch (ExecutionException e) {
            assertThat(e.getCause())
                    .as(who + " writing " + topic)
                    .isInstanceOf(AuthorizationException.class);
            return false;
        } catch (AuthorizationException e) {
            return false;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static boolean canRead(Component who, String topic) {
        Map<String, Object> p = client(who);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> r = c.poll(Duration.ofMillis(200));
                if (!r.isEmpty()) {
                    return true;
                }
            }
            throw new AssertionError(who + " read nothing from " + topic + " and was not refused");
        } catch (AuthorizationException e) {
            return false;
        }
    }

    static boolean granted(Component who, String topic, AclOperation op) {
        return access.get(who).stream()
                .anyMatch(
                        g ->
                                g.type() == ResourceType.TOPIC
                                        && g.name().equals(topic)
                                        && g.operations().contains(op));
    }

    @Test
    void everyComponentReadsAndWritesExactlyTheTopicsItIsGranted() {
        for (Component who : Component.values()) {
            for (String topic : topics) {
                assertThat(canWrite(who, topic))
                        .as("%s may write %s", who, topic)
                        .isEqualTo(granted(who, topic, AclOperation.WRITE));
                assertThat(canRead(who, topic))
                        .as("%s may read %s", who, topic)
                        .isEqualTo(granted(who, topic, AclOperation.READ));
            }
        }
        // The findings that matter most, stated outright so a widened grant cannot hide them.
        assertThat(granted(Component.CONSOLE, config.alertsTopic(), AclOperation.WRITE)).isFalse();
        assertThat(granted(Component.INGEST, config.framesTopic(), AclOperation.READ)).isFalse();
        assertThat(granted(Component.INGEST, config.camerasTopic(), AclOperation.WRITE)).isFalse();
        assertThat(granted(Component.JOB, config.reviewsTopic(), AclOperation.WRITE)).isFalse();
    }

    @Test
    void nobodyCanDeleteTheAuditLogsRecordsChangeItsRetentionOrDeleteIt() {
        String audit = config.auditTopic();
        for (Component who : Component.values()) {
            try (Admin admin = Admin.create(client(who))) {
                assertRefused(
                        who + " deleting audit records",
                        () ->
                                admin.deleteRecords(
                                                Map.of(
                                                        new TopicPartition(audit, 0),
                                                        RecordsToDelete.beforeOffset(1)))
                                        .all()
                                        .get());
                assertRefused(
                        who + " changing the audit retention",
                        () ->
                                admin.incrementalAlterConfigs(
                                                Map.of(
                                                        new ConfigResource(
                                                                ConfigResource.Type.TOPIC, audit),
                                                        List.of(
                                                                new AlterConfigOp(
                                                                        new ConfigEntry(
                                                                                "retention.ms",
                                                                                "1000"),
                                                                        AlterConfigOp.OpType.SET))))
                                        .all()
                                        .get());
                assertRefused(
                        who + " deleting the audit topic",
                        () -> admin.deleteTopics(List.of(audit)).all().get());
            }
        }
        try (Admin admin = Admin.create(client(null))) {
            assertThat(admin.listTopics().names().get()).contains(audit);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static void assertRefused(String what, Call call) {
        try {
            call.run();
            throw new AssertionError(what + " was allowed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).as(what).isInstanceOf(AuthorizationException.class);
        } catch (Exception e) {
            throw new AssertionError(what, e);
        }
    }

    @Test
    void theJobCommitsTransactionsOnlyUnderItsOwnPrefixAndConsumesWithItsOwnGroup()
            throws Exception {
        try (KafkaProducer<byte[], byte[]> p =
                producer(
                        Component.JOB,
                        Map.of(
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                config.transactionalIdPrefix() + "-alerts-0"))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(config.alertsTopic(), 0, null, new byte[] {3})).get();
            p.commitTransaction();
        }
        try (KafkaProducer<byte[], byte[]> p =
                producer(
                        Component.JOB,
                        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "someone-else-0"))) {
            boolean refused;
            try {
                p.initTransactions();
                refused = false;
            } catch (AuthorizationException e) {
                refused = true;
            }
            assertThat(refused).as("a transactional id outside the job's prefix").isTrue();
        }
        for (String group : List.of(config.groupId(), config.groupId() + "-cameras", "other")) {
            Map<String, Object> props = client(Component.JOB);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            boolean committed;
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(config.framesTopic()));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (c.poll(Duration.ofMillis(200)).isEmpty() && System.nanoTime() < deadline) {
                    // until assigned and fed
                }
                c.commitSync();
                committed = true;
            } catch (AuthorizationException e) {
                committed = false;
            } catch (KafkaException e) {
                throw new AssertionError(group, e);
            }
            assertThat(committed).as("group " + group).isEqualTo(!group.equals("other"));
        }
    }

    @Test
    void theRegistryToolRegistersCamerasAsItsOwnPrincipal() throws Exception {
        Map<String, String> env =
                Map.of(
                        "VIGIL_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "VIGIL_KAFKA_CLIENT_SASL_MECHANISM", "PLAIN",
                        "VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG",
                                client(Component.REGISTRY).get("sasl.jaas.config").toString());
        PipelineConfig c =
                PipelineConfig.load(
                        null,
                        env,
                        Map.of(
                                KafkaSettings.BOOTSTRAP_SERVERS,
                                broker.saslBootstrapServers(),
                                WatchlistSettings.WATCHLIST_INDEX_DIR,
                                dir.resolve("index2").toString(),
                                AuditSettings.SIGNING_KEY_FILE,
                                LocalStack.auditKey(dir).toString()));
        assertThat(
                        SecuredKafkaITCase.registerDemoCameras(
                                c, dir.resolve("cameras.json"), "least privilege"))
                .isPositive();
    }
}
