package io.vigil.common.kafka;

import java.util.ArrayList;
import java.util.HashMap;
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

/** Creates Vigil's topics with the partitions and retention of the {@link Topic} registry. */
public final class Topics {
    private Topics() {}

    /** Every topic of the registry, named and retained as the settings say, on one broker. */
    public static List<NewTopic> all(KafkaSettings settings, int framePartitions) {
        return all(settings, framePartitions, (short) 1);
    }

    /**
     * Every topic with {@code replicas} copies. From three copies up, a write needs all but one of
     * them ({@code min.insync.replicas}), so one broker can be lost without losing an acknowledged
     * record or stopping producers that use {@code acks=all}.
     */
    public static List<NewTopic> all(KafkaSettings settings, int framePartitions, short replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, not " + replicas);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (Topic t : Topic.values()) {
            int partitions = t == Topic.FRAMES ? framePartitions : t.partitions();
            Map<String, String> configs = new HashMap<>(t.configs(settings.retentionMs(t)));
            if (replicas >= 3) {
                configs.put("min.insync.replicas", String.valueOf(replicas - 1));
            }
            topics.add(new NewTopic(settings.topic(t), partitions, replicas).configs(configs));
        }
        return topics;
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
