package io.vigil.deploy;

import io.vigil.processing.config.PipelineConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the pipeline uses, with partitions and retention. Frames are short-lived (they hold
 * faces of people who match nothing); alerts and dead letters are kept longer for review.
 */
public final class Topics {
    private Topics() {}

    public static List<NewTopic> all(PipelineConfig c, int framePartitions) {
        return List.of(
                new NewTopic(c.framesTopic(), framePartitions, (short) 1)
                        .configs(
                                Map.of(
                                        "retention.ms",
                                        String.valueOf(60 * 60 * 1000L),
                                        "max.message.bytes",
                                        String.valueOf(8 * 1024 * 1024))),
                new NewTopic(c.alertsTopic(), 2, (short) 1)
                        .configs(Map.of("retention.ms", String.valueOf(90L * 24 * 60 * 60 * 1000))),
                new NewTopic(c.deadLetterTopic(), 1, (short) 1)
                        .configs(
                                Map.of(
                                        "retention.ms",
                                        String.valueOf(7L * 24 * 60 * 60 * 1000),
                                        "max.message.bytes",
                                        String.valueOf(2 * 1024 * 1024))),
                new NewTopic(c.cameraStatusTopic(), 1, (short) 1)
                        .configs(
                                Map.of(
                                        "cleanup.policy",
                                        "compact,delete",
                                        "retention.ms",
                                        String.valueOf(7L * 24 * 60 * 60 * 1000))));
    }

    /** Creates missing topics; existing ones are left as they are. */
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
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        }
    }
}
