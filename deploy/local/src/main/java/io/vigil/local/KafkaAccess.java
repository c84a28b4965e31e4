package io.vigil.local;

import io.vigil.common.kafka.Topic;
import io.vigil.console.ConsoleConfig;
import io.vigil.job.PipelineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on Kafka: one principal per component, each with only the topics, groups and
 * transactional ids its job needs. The integration test turns it into ACLs on a broker running
 * Kafka's own authorizer; the Strimzi {@code KafkaUser}s in {@code deploy/k8s} must say exactly the
 * same ({@code ManifestsTest}). Nothing here grants Delete, Alter or AlterConfigs: no component can
 * delete records, change a retention or delete a topic, least of all the audit log's.
 */
public final class KafkaAccess {
    /** The components that talk to Kafka, named as their Kafka principals. */
    public enum Component {
        INGEST("vigil-ingest"),
        JOB("vigil-job"),
        CONSOLE("vigil-console"),
        REGISTRY("vigil-registry");

        public final String user;

        Component(String user) {
            this.user = user;
        }
    }

    /** One allowance: these operations on a resource (by exact name or by name prefix). */
    public record Grant(
            ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {}

    private KafkaAccess() {}

    private static Grant topic(String name, AclOperation... ops) {
        return new Grant(ResourceType.TOPIC, name, PatternType.LITERAL, List.of(ops));
    }

    /** Every component's grants, for the topic names, group id and transactional ids in force. */
    public static Map<Component, List<Grant>> of(PipelineConfig c) {
        AclOperation read = AclOperation.READ;
        AclOperation write = AclOperation.WRITE;
        AclOperation describe = AclOperation.DESCRIBE;
        Map<Component, List<Grant>> m = new LinkedHashMap<>();
        m.put(
                Component.INGEST,
                List.of(
                        topic(c.framesTopic(), write, describe),
                        topic(c.cameraStatusTopic(), write, describe)));
        m.put(
                Component.JOB,
                List.of(
                        topic(c.framesTopic(), read, describe),
                        topic(c.camerasTopic(), read, describe),
                        topic(c.alertsTopic(), write, describe),
                        topic(c.deadLetterTopic(), write, describe),
                        topic(c.auditTopic(), write, describe),
                        // The frame source's group and the registry source's (group id + suffix).
                        new Grant(
                                ResourceType.GROUP,
                                c.groupId(),
                                PatternType.PREFIXED,
                                List.of(read, describe)),
                        // The exactly-once sinks' transactional ids (prefix + sink + pool index).
                        new Grant(
                                ResourceType.TRANSACTIONAL_ID,
                                c.transactionalIdPrefix(),
                                PatternType.PREFIXED,
                                List.of(write, describe))));
        m.put(
                Component.CONSOLE,
                List.of(
                        topic(c.alertsTopic(), read, describe),
                        topic(c.reviewsTopic(), read, write, describe),
                        topic(c.kafkaSettings().topic(Topic.ALERTS_SETTLED), write, describe),
                        topic(c.kafkaSettings().topic(Topic.CASE_PROBES), write, describe),
                        // A decision and the settled alert it makes, in one transaction.
                        new Grant(
                                ResourceType.TRANSACTIONAL_ID,
                                ConsoleConfig.TRANSACTIONAL_ID_DEFAULT,
                                PatternType.PREFIXED,
                                List.of(write, describe)),
                        // Reviewers' admins suspend and resume cameras from the console.
                        topic(c.camerasTopic(), read, write, describe),
                        topic(c.cameraStatusTopic(), read, describe),
                        topic(c.auditTopic(), read, write, describe)));
        m.put(
                Component.REGISTRY,
                List.of(
                        topic(c.camerasTopic(), read, write, describe),
                        topic(c.auditTopic(), write, describe)));
        return m;
    }

    /** The grants as ACL bindings for {@code User:<component>} from any host. */
    public static List<AclBinding> bindings(Component who, List<Grant> grants) {
        List<AclBinding> out = new ArrayList<>();
        for (Grant g : grants) {
            for (AclOperation op : g.operations()) {
                out.add(
                        new AclBinding(
                                new ResourcePattern(g.type(), g.name(), g.pattern()),
                                new AccessControlEntry(
                                        "User:" + who.user, "*", op, AclPermissionType.ALLOW)));
            }
        }
        return out;
    }
}
