package io.vigil.common.kafka;

import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.CaseProbe;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Frame;
import io.vigil.schemas.ReviewDecision;
import io.vigil.schemas.SettledAlert;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The one registry of Vigil's topics: the setting that names each, its default name, what its key
 * is, its value schema, partitions, retention and the topic settings that make the retention hold.
 * Ingest, the job, the console, the tools, the launcher and the manifests test all read it.
 *
 * <p>Kafka deletes whole segments, and only once a segment is closed: with the default segment (1
 * GiB or 7 days) "one hour" of frames stays for days. Every topic with a retention therefore rolls
 * its segments at a tenth of it ({@link #segmentMs}), so a record is gone at most retention +
 * segment + the broker's retention check interval after it was written.
 */
public enum Topic {
    /** Frames hold the faces of everyone a camera sees: short retention. */
    FRAMES(
            KafkaSettings.TOPIC_FRAMES,
            "vigil.frames",
            "camera id",
            Frame.getClassSchema(),
            8,
            KafkaSettings.RETENTION_FRAMES_MS,
            Map.of("max.message.bytes", String.valueOf(8 * 1024 * 1024))),
    ALERTS(
            KafkaSettings.TOPIC_ALERTS,
            "vigil.alerts",
            "camera id",
            Alert.getClassSchema(),
            2,
            KafkaSettings.RETENTION_ALERTS_MS,
            Map.of()),
    REVIEWS(
            KafkaSettings.TOPIC_REVIEWS,
            "vigil.reviews",
            "alert id",
            ReviewDecision.getClassSchema(),
            2,
            KafkaSettings.RETENTION_ALERTS_MS,
            Map.of()),
    /** Written by the console in the transaction of the settling decision. */
    ALERTS_SETTLED(
            KafkaSettings.TOPIC_ALERTS_SETTLED,
            "vigil.alerts.settled",
            "alert id",
            SettledAlert.getClassSchema(),
            2,
            KafkaSettings.RETENTION_ALERTS_MS,
            Map.of()),
    /** Append-only: never compacted, kept for vigil.retention.audit.ms (forever by default). */
    AUDIT(
            KafkaSettings.TOPIC_AUDIT,
            "vigil.audit",
            "subject (alert, entry or camera id)",
            AuditEvent.getClassSchema(),
            1,
            KafkaSettings.RETENTION_AUDIT_MS,
            Map.of("cleanup.policy", "delete", "retention.bytes", "-1")),
    /** The camera registry: compacted, one registration per camera. */
    CAMERAS(
            KafkaSettings.TOPIC_CAMERAS,
            "vigil.cameras",
            "camera id",
            CameraRegistration.getClassSchema(),
            1,
            null,
            Map.of("cleanup.policy", "compact")),
    DEAD_LETTER(
            KafkaSettings.TOPIC_DEAD_LETTER,
            "vigil.dead-letter",
            "the original record's key",
            DeadLetter.getClassSchema(),
            1,
            KafkaSettings.RETENTION_DEAD_LETTER_MS,
            Map.of("max.message.bytes", String.valueOf(2 * 1024 * 1024))),
    /**
     * Probes kept for case files; written only when an operator enables it. Keyed by search and
     * compacted as well as deleted, so an erasure can remove one probe (a tombstone) before its
     * retention ends: segments roll hourly and the cleaner takes them at once.
     */
    CASE_PROBES(
            KafkaSettings.TOPIC_CASE_PROBES,
            "vigil.case-probes",
            "search id",
            CaseProbe.getClassSchema(),
            1,
            KafkaSettings.RETENTION_CASE_PROBES_MS,
            Map.of(
                    "max.message.bytes", String.valueOf(34 * 1024 * 1024),
                    "cleanup.policy", "compact,delete",
                    "segment.ms", String.valueOf(Topic.CASE_PROBE_SEGMENT_MS),
                    "min.cleanable.dirty.ratio", "0.01",
                    "delete.retention.ms", "60000")),
    /** Each camera's latest state (compacted), and a week of history. */
    CAMERA_STATUS(
            KafkaSettings.TOPIC_CAMERA_STATUS,
            "vigil.camera-status",
            "camera id",
            CameraStatus.getClassSchema(),
            1,
            null,
            Map.of("cleanup.policy", "compact,delete"));

    private static final long CAMERA_STATUS_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    /** How long an erased probe may stay on the case-probes topic before compaction can take it. */
    public static final long CASE_PROBE_SEGMENT_MS = 60L * 60 * 1000;

    private final String setting;
    private final String defaultName;
    private final String key;
    private final Schema valueSchema;
    private final int partitions;
    private final String retentionSetting;
    private final Map<String, String> configs;

    Topic(
            String setting,
            String defaultName,
            String key,
            Schema valueSchema,
            int partitions,
            String retentionSetting,
            Map<String, String> configs) {
        this.setting = setting;
        this.defaultName = defaultName;
        this.key = key;
        this.valueSchema = valueSchema;
        this.partitions = partitions;
        this.retentionSetting = retentionSetting;
        this.configs = configs;
    }

    /** The setting that names this topic. */
    public String setting() {
        return setting;
    }

    public String defaultName() {
        return defaultName;
    }

    /** What the record key is. */
    public String key() {
        return key;
    }

    /** The Avro schema of the record values. */
    public Schema valueSchema() {
        return valueSchema;
    }

    /** Default partitions; frames' is a deployment choice ({@code Topics.newTopics}). */
    public int partitions() {
        return partitions;
    }

    /** The setting of this topic's retention; null when the retention is fixed. */
    public String retentionSetting() {
        return retentionSetting;
    }

    /** The retention of topics without a retention setting; -1 (kept) for compacted ones. */
    long defaultRetentionMs() {
        return this == CAMERA_STATUS ? CAMERA_STATUS_RETENTION_MS : -1;
    }

    /** The segment roll time for a retention: a tenth of it, at least a second. */
    public static String segmentMs(long retentionMs) {
        return String.valueOf(Math.max(1_000L, retentionMs / 10));
    }

    /** The topic settings for a retention: retention.ms, segment.ms and this topic's own. */
    public Map<String, String> configs(long retentionMs) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!"compact".equals(configs.get("cleanup.policy"))) {
            m.put("retention.ms", String.valueOf(retentionMs));
            if (retentionMs > 0 && this != AUDIT) {
                m.put("segment.ms", segmentMs(retentionMs));
            }
        }
        m.putAll(configs);
        return m;
    }
}
