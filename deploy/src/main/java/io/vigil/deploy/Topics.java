package io.vigil.deploy;

import io.vigil.processing.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the pipeline uses, with partitions and retention from the config. Frames are
 * short-lived (they hold faces of people who match nothing); alerts and reviews are kept longer;
 * the audit log is append-only and kept forever by default; the camera registry is compacted.
 *
 * <p>Kafka deletes whole segments, and only once a segment is closed: with the default segment (1
 * GiB or 7 days) "one hour" of frames stays for days. Every topic with a retention therefore rolls
 * its segments at a tenth of it ({@link #segmentMs}), so a record is gone at most retention +
 * segment + the broker's retention check interval after it was written.
 */
public final class Topics {
    private Topics() {}

    /** The segment roll time for a retention: a tenth of it, at least a second; none if kept. */
    static String segmentMs(long retentionMs) {
        return String.valueOf(Math.max(1_000L, retentionMs / 10));
    }

    /** Retention and the segment roll time that makes it hold. */
    static Map<String, String> retention(long retentionMs, String... more) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("retention.ms", String.valueOf(retentionMs));
        if (retentionMs > 0) {
            m.put("segment.ms", segmentMs(retentionMs));
        }
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    public static List<NewTopic> all(PipelineConfig c, int framePartitions) {
        return List.of(
                new NewTopic(c.framesTopic(), framePartitions, (short) 1)
                        .configs(
                                retention(
                                        c.retentionFramesMs(),
                                        "max.message.bytes",
                                        String.valueOf(8 * 1024 * 1024))),
                new NewTopic(c.alertsTopic(), 2, (short) 1)
                        .configs(retention(c.retentionAlertsMs())),
                new NewTopic(c.reviewsTopic(), 2, (short) 1)
                        .configs(retention(c.retentionAlertsMs())),
                // Append-only: never compacted, kept for vigil.retention.audit.ms (forever).
                new NewTopic(c.auditTopic(), 1, (short) 1)
                        .configs(
                                Map.of(
                                        "cleanup.policy",
                                        "delete",
                                        "retention.ms",
                                        String.valueOf(c.retentionAuditMs()),
                                        "retention.bytes",
                                        "-1")),
                new NewTopic(c.camerasTopic(), 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(c.deadLetterTopic(), 1, (short) 1)
                        .configs(
                                retention(
                                        c.retentionDeadLetterMs(),
                                        "max.message.bytes",
                                        String.valueOf(2 * 1024 * 1024))),
                new NewTopic(c.cameraStatusTopic(), 1, (short) 1)
                        .configs(
                                retention(
                                        7L * 24 * 60 * 60 * 1000,
                                        "cleanup.policy",
                                        "compact,delete")));
    }

    /**
     * Creates missing topics and applies the configured settings (retention above all) to existing
     * ones, so a changed retention takes effect on the next start.
     */
    public static void create(String bootstrapServers, List<NewTopic> topics) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + t.name() + ": " + e.getCause(),
                                e.getCause());
                    }
                    try {
                        alter(admin, t);
                    } catch (ExecutionException alterFailed) {
                        throw new IllegalStateException(
                                "cannot apply the settings of topic "
                                        + t.name()
                                        + ": "
                                        + alterFailed.getCause(),
                                alterFailed.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        }
    }

    private static void alter(Admin admin, NewTopic t)
            throws InterruptedException, ExecutionException {
        List<AlterConfigOp> ops = new ArrayList<>();
        t.configs()
                .forEach(
                        (k, v) ->
                                ops.add(
                                        new AlterConfigOp(
                                                new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(
                        Map.of(new ConfigResource(ConfigResource.Type.TOPIC, t.name()), ops))
                .all()
                .get();
    }
}
