package io.vigil.common.kafka;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Kafka and topic settings every component shares: bootstrap servers, the {@code
 * vigil.kafka.client.*} client settings, and each {@link Topic}'s name and retention. Parsing only;
 * nothing is contacted.
 */
public final class KafkaSettings extends AbstractConfig {
    public static final String BOOTSTRAP_SERVERS = "vigil.kafka.bootstrap.servers";
    public static final String TOPIC_FRAMES = "vigil.topic.frames";
    public static final String TOPIC_ALERTS = "vigil.topic.alerts";
    public static final String TOPIC_DEAD_LETTER = "vigil.topic.dead-letter";
    public static final String TOPIC_CAMERA_STATUS = "vigil.topic.camera-status";
    public static final String TOPIC_CAMERAS = "vigil.topic.cameras";
    public static final String TOPIC_AUDIT = "vigil.topic.audit";
    public static final String TOPIC_REVIEWS = "vigil.topic.reviews";
    public static final String TOPIC_ALERTS_SETTLED = "vigil.topic.alerts.settled";
    public static final String RETENTION_FRAMES_MS = "vigil.retention.frames.ms";
    public static final String RETENTION_ALERTS_MS = "vigil.retention.alerts.ms";
    public static final String RETENTION_AUDIT_MS = "vigil.retention.audit.ms";
    public static final String RETENTION_DEAD_LETTER_MS = "vigil.retention.dead-letter.ms";
    public static final String TOPIC_CASE_PROBES = "vigil.topic.case-probes";
    public static final String RETENTION_CASE_PROBES_MS = "vigil.retention.case-probes.ms";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            BOOTSTRAP_SERVERS,
                            Type.STRING,
                            "localhost:9092",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "Kafka bootstrap servers for frames, alerts and dead letters.")
                    .define(
                            TOPIC_FRAMES,
                            Type.STRING,
                            "vigil.frames",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Topic of Frame records (key: camera id).")
                    .define(
                            TOPIC_ALERTS,
                            Type.STRING,
                            "vigil.alerts",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Topic of Alert records.")
                    .define(
                            TOPIC_DEAD_LETTER,
                            Type.STRING,
                            "vigil.dead-letter",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Topic of DeadLetter records: input the job could not process, with the"
                                    + " reason.")
                    .define(
                            TOPIC_CAMERA_STATUS,
                            Type.STRING,
                            "vigil.camera-status",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Topic of CameraStatus records (key: camera id, compacted): each"
                                    + " camera's state, last frame time, frame rate and errors.")
                    .define(
                            TOPIC_CAMERAS,
                            Type.STRING,
                            "vigil.cameras",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "The camera registry: CameraRegistration records (key: camera id,"
                                    + " compacted). Only frames of an ACTIVE registered camera are"
                                    + " processed; others go to the dead-letter topic.")
                    .define(
                            TOPIC_AUDIT,
                            Type.STRING,
                            "vigil.audit",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "The append-only audit log: AuditEvent records of every watchlist,"
                                    + " camera, alert, review and console action.")
                    .define(
                            TOPIC_REVIEWS,
                            Type.STRING,
                            "vigil.reviews",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "ReviewDecision records (key: alert id): reviewers' confirmations and"
                                    + " rejections of alerts.")
                    .define(
                            TOPIC_ALERTS_SETTLED,
                            Type.STRING,
                            "vigil.alerts.settled",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "SettledAlert records (key: alert id): alerts human review has"
                                    + " confirmed or rejected, once each, with their decisions."
                                    + " Downstream systems act only on these.")
                    .define(
                            RETENTION_FRAMES_MS,
                            Type.LONG,
                            60 * 60 * 1000L,
                            Range.atLeast(60_000),
                            Importance.HIGH,
                            "Retention of the frames topic. Frames hold the faces of everyone a"
                                + " camera sees, so keep it short: long enough to replay after an"
                                + " outage.")
                    .define(
                            RETENTION_ALERTS_MS,
                            Type.LONG,
                            365L * 24 * 60 * 60 * 1000,
                            Range.atLeast(60_000),
                            Importance.MEDIUM,
                            "Retention of the alerts and reviews topics.")
                    .define(
                            RETENTION_AUDIT_MS,
                            Type.LONG,
                            -1L,
                            Range.atLeast(-1),
                            Importance.MEDIUM,
                            "Retention of the audit topic; -1 keeps it forever (export it before"
                                    + " setting a limit).")
                    .define(
                            RETENTION_DEAD_LETTER_MS,
                            Type.LONG,
                            7L * 24 * 60 * 60 * 1000,
                            Range.atLeast(60_000),
                            Importance.LOW,
                            "Retention of the dead-letter topic; dead letters may hold frames, so"
                                    + " keep it short.")
                    .define(
                            TOPIC_CASE_PROBES,
                            Type.STRING,
                            "vigil.case-probes",
                            new ConfigDef.NonEmptyString(),
                            Importance.LOW,
                            "Topic of CaseProbe records: investigation probes kept for case"
                                    + " files, only with vigil.search.keep.probes.")
                    .define(
                            RETENTION_CASE_PROBES_MS,
                            Type.LONG,
                            90L * 24 * 60 * 60 * 1000,
                            Range.atLeast(60_000),
                            Importance.MEDIUM,
                            "How long a kept probe stays on the case-probes topic.");

    private final KafkaConnection kafka;

    public KafkaSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
        this.kafka =
                KafkaConnection.of(
                        getString(BOOTSTRAP_SERVERS), originalsWithPrefix(KafkaConnection.PREFIX));
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    /** Bootstrap servers and the {@code vigil.kafka.client.*} settings of every Kafka client. */
    public KafkaConnection kafka() {
        return kafka;
    }

    /** The configured name of a topic. */
    public String topic(Topic t) {
        return getString(t.setting());
    }

    /** The configured retention of a topic; -1 keeps it forever. */
    public long retentionMs(Topic t) {
        return t.retentionSetting() == null
                ? t.defaultRetentionMs()
                : getLong(t.retentionSetting());
    }
}
