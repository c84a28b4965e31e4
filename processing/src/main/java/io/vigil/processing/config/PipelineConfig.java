package io.vigil.processing.config;

import io.milvus.v2.common.IndexParam;
import io.vigil.matching.IndexSpec;
import io.vigil.matching.LuceneSearch;
import io.vigil.matching.MatchPolicy;
import io.vigil.matching.milvus.MilvusSettings;
import io.vigil.processing.calibration.Calibration;
import io.vigil.processing.face.DetectorSettings;
import io.vigil.processing.face.FaceModels;
import io.vigil.processing.face.InferenceOptions;
import io.vigil.processing.face.OnnxModel;
import io.vigil.processing.face.QualityFilter;
import io.vigil.processing.kafka.KafkaConnection;
import io.vigil.processing.model.ModelCatalog;
import io.vigil.processing.model.ModelManifest;
import io.vigil.processing.track.TrackingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed, documented, validated settings of the matching job, checked once when the job is built.
 * Errors name the setting. Keys are the same in the local launcher, a properties file, the
 * environment (VIGIL_MATCH_THRESHOLD for vigil.match.threshold) and the deploy manifests.
 */
public final class PipelineConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "vigil.kafka.bootstrap.servers";
    public static final String GROUP_ID = "vigil.kafka.group.id";
    public static final String TOPIC_FRAMES = "vigil.topic.frames";
    public static final String TOPIC_ALERTS = "vigil.topic.alerts";
    public static final String TOPIC_DEAD_LETTER = "vigil.topic.dead-letter";
    public static final String TOPIC_CAMERA_STATUS = "vigil.topic.camera-status";
    public static final String TOPIC_CAMERAS = "vigil.topic.cameras";
    public static final String TOPIC_AUDIT = "vigil.topic.audit";
    public static final String TOPIC_REVIEWS = "vigil.topic.reviews";
    public static final String AUDIT_SINK = "vigil.audit.sink";
    public static final String RETENTION_FRAMES_MS = "vigil.retention.frames.ms";
    public static final String RETENTION_ALERTS_MS = "vigil.retention.alerts.ms";
    public static final String RETENTION_AUDIT_MS = "vigil.retention.audit.ms";
    public static final String RETENTION_DEAD_LETTER_MS = "vigil.retention.dead-letter.ms";
    public static final String REVIEW_CONFIRMATIONS = "vigil.review.confirmations.required";
    public static final String METRICS_PROMETHEUS_PORT = "vigil.metrics.prometheus.port";
    public static final String FRAME_MAX_BYTES = "vigil.frame.max.bytes";
    public static final String FRAME_MAX_PIXELS = "vigil.frame.max.pixels";
    public static final String ASSETS_DIR = "vigil.assets.dir";
    public static final String MODEL_DETECTOR = "vigil.model.detector";
    public static final String MODEL_LANDMARK = "vigil.model.landmark";
    public static final String MODEL_EMBEDDER = "vigil.model.embedder";
    public static final String DETECT_MIN_CONFIDENCE = "vigil.detect.min.confidence";
    public static final String DETECT_NMS_IOU = "vigil.detect.nms.iou";
    public static final String DETECT_MAX_FACES = "vigil.detect.max.faces";
    public static final String DETECT_MIN_FACE_PX = "vigil.detect.min.face.px";
    public static final String DETECT_TILE_MIN_FACE_PX = "vigil.detect.tile.min.face.px";
    public static final String INFERENCE_THREADS = "vigil.inference.intra.op.threads";
    public static final String INFERENCE_CUDA = "vigil.inference.cuda";
    public static final String MATCH_THRESHOLD = "vigil.match.threshold";
    public static final String MATCH_TOP_K = "vigil.match.top.k";
    public static final String WATCHLIST_INDEX_DIR = "vigil.watchlist.index.dir";
    public static final String WATCHLIST_BACKEND = "vigil.watchlist.backend";
    public static final String WATCHLIST_SEARCH_EXACT = "vigil.watchlist.search.exact";
    public static final String WATCHLIST_SEARCH_THREADS = "vigil.watchlist.search.threads";

    public static final String WATCHLIST_MAX_LIFETIME_DAYS = "vigil.watchlist.max.lifetime.days";
    public static final String WATCHLIST_QUALITY_FILTER = "vigil.watchlist.quality.filter";
    public static final String MILVUS_URI = "vigil.milvus.uri";
    public static final String MILVUS_TOKEN = "vigil.milvus.token";
    public static final String MILVUS_TRUST_CERT = "vigil.milvus.trust.cert.file";
    public static final String MILVUS_DATABASE = "vigil.milvus.database";
    public static final String MILVUS_COLLECTION = "vigil.milvus.collection";
    public static final String MILVUS_CONSISTENCY = "vigil.milvus.consistency";
    public static final String MILVUS_INDEX_TYPE = "vigil.milvus.index.type";
    public static final String MILVUS_SEARCH_EF = "vigil.milvus.search.ef";
    public static final String MATCH_CALIBRATION_FILE = "vigil.match.calibration.file";
    public static final String MATCH_QUALITY_FILTER = "vigil.match.quality.filter";
    public static final String TRACK_MIN_IOU = "vigil.track.min.iou";
    public static final String TRACK_MAX_CENTRE_SHIFT = "vigil.track.max.centre.shift";
    public static final String TRACK_TIMEOUT_MS = "vigil.track.timeout.ms";
    public static final String ALERT_CONSENSUS_FRAMES = "vigil.alert.consensus.frames";
    public static final String ALERT_CONSENSUS_WINDOW_MS = "vigil.alert.consensus.window.ms";
    public static final String ALERT_SUPPRESSION_MS = "vigil.alert.suppression.ms";
    public static final String ALERT_UPDATE_INTERVAL_MS = "vigil.alert.update.interval.ms";
    public static final String ALERT_SILENT_CAMERA_MS = "vigil.alert.silent.camera.ms";
    public static final String ALERT_MAX_EXPECTED_FALSE_PER_HOUR =
            "vigil.alert.max.expected.false.per.hour";
    public static final String ALERT_EXPECTED_PEOPLE_PER_HOUR =
            "vigil.alert.expected.people.per.camera.hour";
    public static final String ALERT_EXPECTED_FRAMES_PER_PERSON =
            "vigil.alert.expected.frames.per.person";
    public static final String CHECKPOINT_INTERVAL_MS = "vigil.checkpoint.interval.ms";
    public static final String CHECKPOINT_DIR = "vigil.checkpoint.dir";
    public static final String CHECKPOINT_RETAIN_ON_CANCEL = "vigil.checkpoint.retain.on.cancel";
    public static final String STATE_BACKEND = "vigil.state.backend";
    public static final String DELIVERY_GUARANTEE = "vigil.delivery.guarantee";
    public static final String KAFKA_TRANSACTION_TIMEOUT_MS = "vigil.kafka.transaction.timeout.ms";
    public static final String KAFKA_TRANSACTIONAL_ID_PREFIX =
            "vigil.kafka.transactional.id.prefix";
    public static final String RESTORE_FROM = "vigil.job.restore.from";
    public static final String PARALLELISM = "vigil.job.parallelism";
    public static final String OUT_OF_ORDERNESS_MS = "vigil.job.max.out.of.orderness.ms";

    /** Only the ConfigDef's placeholder: unset, the embedder manifest's threshold applies. */
    public static final double DEFAULT_MODEL_THRESHOLD = 0.50;

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
                            GROUP_ID,
                            Type.STRING,
                            "vigil-matching",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Consumer group id of the job's frame source.")
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
                            AUDIT_SINK,
                            Type.STRING,
                            "kafka",
                            ConfigDef.ValidString.in("kafka", "log"),
                            Importance.HIGH,
                            "Where the tools write audit events: kafka (the audit topic; a tool"
                                + " that cannot reach it does nothing) or log (the io.vigil.audit"
                                + " logger, for development without a broker; not append-only).")
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
                            METRICS_PROMETHEUS_PORT,
                            Type.INT,
                            0,
                            Range.between(0, 65535),
                            Importance.LOW,
                            "Port of Flink's Prometheus reporter when the local launcher runs the"
                                    + " job (0: off). On a cluster, set Flink's own"
                                    + " metrics.reporter.prom.* options instead.")
                    .define(
                            REVIEW_CONFIRMATIONS,
                            Type.INT,
                            2,
                            Range.between(1, 5),
                            Importance.HIGH,
                            "Confirmations by different reviewers an alert needs to become"
                                    + " CONFIRMED. One rejection rejects it.")
                    .define(
                            FRAME_MAX_BYTES,
                            Type.INT,
                            4 * 1024 * 1024,
                            Range.between(1024, 64 * 1024 * 1024),
                            Importance.MEDIUM,
                            "Largest encoded frame accepted; larger ones are dead-lettered as"
                                    + " OVERSIZE.")
                    .define(
                            FRAME_MAX_PIXELS,
                            Type.INT,
                            3840 * 2160,
                            Range.between(64 * 64, 16384 * 16384),
                            Importance.MEDIUM,
                            "Largest decoded frame (width x height) accepted.")
                    .define(
                            ASSETS_DIR,
                            Type.STRING,
                            AssetPaths.root().toString(),
                            Importance.MEDIUM,
                            "Cache filled by deploy/bin/fetch-assets.sh; default model paths are"
                                    + " resolved in it.")
                    .define(
                            MODEL_DETECTOR,
                            Type.STRING,
                            ModelCatalog.DEFAULT_DETECTOR,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Face detector: a built-in model id (`vigil models list`) or the path"
                                    + " of a model manifest .json.")
                    .define(
                            MODEL_LANDMARK,
                            Type.STRING,
                            ModelCatalog.DEFAULT_LANDMARKS,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Landmark model (id or manifest path), or `none` to align faces by the"
                                    + " detector's own keypoints.")
                    .define(
                            MODEL_EMBEDDER,
                            Type.STRING,
                            ModelCatalog.DEFAULT_EMBEDDER,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Face embedder (id or manifest path). Its id is stored with each"
                                    + " enrolled face; only faces of the same id are compared.")
                    .define(
                            DETECT_MIN_CONFIDENCE,
                            Type.DOUBLE,
                            0.7,
                            Range.between(0.05, 0.99),
                            Importance.LOW,
                            "Detector score below which a box is dropped.")
                    .define(
                            DETECT_NMS_IOU,
                            Type.DOUBLE,
                            0.4,
                            Range.between(0.05, 0.95),
                            Importance.LOW,
                            "Overlap above which the weaker of two boxes is suppressed.")
                    .define(
                            DETECT_MAX_FACES,
                            Type.INT,
                            20,
                            Range.between(1, 500),
                            Importance.LOW,
                            "Most faces analysed per frame.")
                    .define(
                            DETECT_MIN_FACE_PX,
                            Type.INT,
                            24,
                            Range.between(8, 4096),
                            Importance.LOW,
                            "Faces smaller than this (pixels, either side) are not embedded: too"
                                    + " small to identify reliably.")
                    .define(
                            DETECT_TILE_MIN_FACE_PX,
                            Type.INT,
                            DetectorSettings.DEFAULT_TILE_MIN_FACE,
                            (name, value) -> {
                                int v = (Integer) value;
                                if (v != 0 && (v < 8 || v > 4096)) {
                                    throw new ConfigException(
                                            name, value, "must be 0 (whole frame only) or 8..4096");
                                }
                            },
                            Importance.MEDIUM,
                            "Smallest face height (frame pixels) the detector must find. A frame"
                                    + " too large for the whole-frame pass to see faces this"
                                    + " small (an HD camera) is also searched in overlapping"
                                    + " tiles at native resolution, which costs one detector run"
                                    + " per tile (`vigil bench-detect`). 0: whole frame only.")
                    .define(
                            INFERENCE_THREADS,
                            Type.INT,
                            1,
                            Range.between(1, 256),
                            Importance.LOW,
                            "ONNX Runtime intra-op threads per operator instance.")
                    .define(
                            INFERENCE_CUDA,
                            Type.BOOLEAN,
                            false,
                            Importance.LOW,
                            "Try the CUDA execution provider; falls back to CPU with a logged"
                                    + " reason.")
                    .define(
                            MATCH_THRESHOLD,
                            Type.DOUBLE,
                            DEFAULT_MODEL_THRESHOLD,
                            Range.between(-1, 1),
                            Importance.HIGH,
                            "Cosine similarity at or above which a face becomes an alert candidate."
                                    + " Model-specific scale; unset, the embedder manifest's"
                                    + " calibrated threshold. May not be set below the manifest's"
                                    + " floor.")
                    .define(
                            MATCH_TOP_K,
                            Type.INT,
                            5,
                            Range.between(1, 100),
                            Importance.LOW,
                            "Watchlist entries retrieved per face before the threshold is applied.")
                    .define(
                            WATCHLIST_BACKEND,
                            Type.STRING,
                            "lucene",
                            ConfigDef.CaseInsensitiveValidString.in("lucene", "milvus"),
                            Importance.HIGH,
                            "Where the watchlist lives: the embedded Lucene index (one machine) or"
                                    + " Milvus (a cluster).")
                    .define(
                            WATCHLIST_INDEX_DIR,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Directory of the embedded (Lucene) watchlist index; required with the"
                                + " lucene backend. The enroller writes it, the job searches it and"
                                + " sees each committed change on its next search.")
                    .define(
                            WATCHLIST_SEARCH_EXACT,
                            Type.BOOLEAN,
                            false,
                            Importance.LOW,
                            "Lucene backend: compare every enrolled face with every query, instead"
                                + " of skipping those whose sketch puts them below the threshold"
                                + " (which may miss up to 0.2 % of faces lying exactly at it)."
                                + " Slower beyond about 100k faces; see docs/benchmarks.md,"
                                + " watchlist search benchmark.")
                    .define(
                            WATCHLIST_SEARCH_THREADS,
                            Type.INT,
                            1,
                            Range.between(1, LuceneSearch.MAX_THREADS),
                            Importance.LOW,
                            "Lucene backend: threads scanning one search, on index segments of"
                                    + " 100k faces or more. Above 1 it lowers search latency on"
                                    + " large watchlists while cores are idle; when the job's slots"
                                    + " keep every core busy it only moves work.")
                    .define(
                            WATCHLIST_MAX_LIFETIME_DAYS,
                            Type.INT,
                            365,
                            Range.between(1, 3650),
                            Importance.HIGH,
                            "Longest expiry an enrolment may be given, in days from enrolment.")
                    .define(
                            WATCHLIST_QUALITY_FILTER,
                            Type.STRING,
                            "MEDIUM",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "NONE", "LOW", "MEDIUM", "HIGH"),
                            Importance.MEDIUM,
                            "Default quality filter of enrolment photos (face size, sharpness,"
                                    + " brightness, pose, detector confidence).")
                    .define(
                            MILVUS_URI,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Milvus endpoint (http://host:19530); required with the milvus"
                                    + " backend.")
                    .define(
                            MILVUS_TOKEN,
                            Type.PASSWORD,
                            "",
                            Importance.MEDIUM,
                            "Milvus user:password or API key.")
                    .define(
                            MILVUS_TRUST_CERT,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "PEM certificate or CA trusted for an https:// Milvus uri (a private"
                                    + " CA); empty: the JVM's trusted authorities.")
                    .define(
                            MILVUS_DATABASE,
                            Type.STRING,
                            "",
                            Importance.LOW,
                            "Milvus database; empty for the default one.")
                    .define(
                            MILVUS_COLLECTION,
                            Type.STRING,
                            "vigil_watchlist",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Milvus collection of watchlist faces; created with its indexes if"
                                    + " absent.")
                    .define(
                            MILVUS_CONSISTENCY,
                            Type.STRING,
                            "STRONG",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "STRONG", "BOUNDED", "SESSION", "EVENTUALLY"),
                            Importance.MEDIUM,
                            "Consistency level of searches. STRONG: a removal stops matching on the"
                                    + " next frame. BOUNDED: cheaper, but changes may take a few"
                                    + " seconds to apply.")
                    .define(
                            MILVUS_INDEX_TYPE,
                            Type.STRING,
                            "HNSW",
                            ConfigDef.CaseInsensitiveValidString.in("HNSW", "IVF_FLAT"),
                            Importance.LOW,
                            "Milvus vector index type.")
                    .define(
                            MILVUS_SEARCH_EF,
                            Type.INT,
                            64,
                            Range.between(1, 32768),
                            Importance.LOW,
                            "HNSW ef at search time (candidates kept).")
                    .define(
                            MATCH_CALIBRATION_FILE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Calibration written by `vigil calibrate` for the embedder in use. Its"
                                + " threshold (chosen for a target false-match rate) applies unless"
                                + " vigil.match.threshold is set, and its floor can never be"
                                + " undercut. Required for an embedder other than the default.")
                    .define(
                            MATCH_QUALITY_FILTER,
                            Type.STRING,
                            "LOW",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "NONE", "LOW", "MEDIUM", "HIGH"),
                            Importance.MEDIUM,
                            "Quality gate of camera faces before the embedder (face size,"
                                + " sharpness, brightness, pose, detector confidence; same levels"
                                + " as the enrolment filter). Skipped faces are counted per reason"
                                + " in the faces-skipped-quality metrics.")
                    .define(
                            TRACK_MIN_IOU,
                            Type.DOUBLE,
                            0.3,
                            Range.between(0.01, 0.99),
                            Importance.LOW,
                            "Overlap with a track's latest face box that joins a face to it.")
                    .define(
                            TRACK_MAX_CENTRE_SHIFT,
                            Type.DOUBLE,
                            1.0,
                            Range.between(0, 10),
                            Importance.LOW,
                            "Centre distance, in face heights, that still joins a face to a track"
                                    + " whose box it does not overlap enough.")
                    .define(
                            TRACK_TIMEOUT_MS,
                            Type.LONG,
                            3000L,
                            Range.between(1, 600_000),
                            Importance.MEDIUM,
                            "Capture time without a face after which a track ends.")
                    .define(
                            ALERT_CONSENSUS_FRAMES,
                            Type.INT,
                            3,
                            Range.between(1, 100),
                            Importance.HIGH,
                            "Frames of one track that must match the same watchlist entry, within"
                                    + " vigil.alert.consensus.window.ms, before an alert is"
                                    + " raised.")
                    .define(
                            ALERT_CONSENSUS_WINDOW_MS,
                            Type.LONG,
                            5000L,
                            Range.between(0, 600_000),
                            Importance.MEDIUM,
                            "Capture-time window of the consensus frames.")
                    .define(
                            ALERT_SUPPRESSION_MS,
                            Type.LONG,
                            30_000L,
                            Range.between(1, 86_400_000),
                            Importance.MEDIUM,
                            "After an alert, matches of the same entry on the same camera update"
                                    + " it instead of raising another, until none has come for"
                                    + " this long; then its closing revision is emitted. At least"
                                    + " vigil.track.timeout.ms.")
                    .define(
                            ALERT_UPDATE_INTERVAL_MS,
                            Type.LONG,
                            10_000L,
                            Range.between(0, 86_400_000),
                            Importance.LOW,
                            "Least capture time between two update revisions of an open alert; 0:"
                                    + " only the raising and the closing revision.")
                    .define(
                            ALERT_SILENT_CAMERA_MS,
                            Type.LONG,
                            300_000L,
                            Range.between(1, 86_400_000),
                            Importance.LOW,
                            "Wall-clock time without a face from a camera after which its open"
                                + " alerts are closed although its event time stopped (the camera"
                                + " went dark). At least vigil.alert.suppression.ms, and longer"
                                + " than a restart or Kafka outage, which also stop faces"
                                + " arriving.")
                    .define(
                            ALERT_MAX_EXPECTED_FALSE_PER_HOUR,
                            Type.DOUBLE,
                            0.1,
                            Range.between(0, 1_000),
                            Importance.MEDIUM,
                            "False alerts per camera-hour the operator accepts. At start the job"
                                    + " estimates them for the watchlist's size, the threshold"
                                    + " and the consensus rule from the calibrated impostor"
                                    + " scores, records the estimate in the JOB_STARTED audit"
                                    + " event, and logs a WARN when it (or its 95 % upper"
                                    + " bound) exceeds this.")
                    .define(
                            ALERT_EXPECTED_PEOPLE_PER_HOUR,
                            Type.DOUBLE,
                            300.0,
                            Range.between(0, 1_000_000),
                            Importance.LOW,
                            "People passing a camera per hour, for the false-alert estimate.")
                    .define(
                            ALERT_EXPECTED_FRAMES_PER_PERSON,
                            Type.INT,
                            6,
                            Range.between(1, 10_000),
                            Importance.LOW,
                            "Frames in which a passing person's face is searched (time in view"
                                    + " x vigil.ingest.fps), for the false-alert estimate.")
                    .define(
                            CHECKPOINT_INTERVAL_MS,
                            Type.LONG,
                            // 500 ms measured: capture->alert p99 887 -> 496 ms at 16 cameras,
                            // no throughput lost (docs/benchmarks.md, "Pipeline benchmark").
                            500L,
                            Range.between(0, 3_600_000),
                            Importance.HIGH,
                            "Checkpoint interval. Frame offsets, tracks and open alerts are in each"
                                + " checkpoint; with exactly-once delivery an alert becomes visible"
                                + " to read_committed consumers when the checkpoint after it"
                                + " completes, so this bounds the added alert latency. 0 disables"
                                + " checkpoints (only with at-least-once delivery).")
                    .define(
                            CHECKPOINT_DIR,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Durable checkpoint location (file:///, s3://, hdfs://; a plain path"
                                    + " is a local directory). Empty: checkpoints live in the"
                                    + " JobManager's memory and do not survive it.")
                    .define(
                            CHECKPOINT_RETAIN_ON_CANCEL,
                            Type.BOOLEAN,
                            true,
                            Importance.MEDIUM,
                            "Keep the latest checkpoint when the job is cancelled, so it can be"
                                    + " restarted from it (vigil.job.restore.from).")
                    .define(
                            STATE_BACKEND,
                            Type.STRING,
                            "hashmap",
                            ConfigDef.CaseInsensitiveValidString.in("hashmap", "rocksdb"),
                            Importance.MEDIUM,
                            "Flink state backend: hashmap (state on the heap) or rocksdb (state on"
                                    + " local disk, incremental checkpoints; for many cameras).")
                    .define(
                            DELIVERY_GUARANTEE,
                            Type.STRING,
                            "exactly-once",
                            ConfigDef.CaseInsensitiveValidString.in(
                                    "exactly-once", "at-least-once"),
                            Importance.HIGH,
                            "exactly-once: alerts and dead letters are written in Kafka"
                                + " transactions committed with each checkpoint; consumers reading"
                                + " read_committed see each record once, even across failures."
                                + " at-least-once: lower latency, replays may repeat records (alert"
                                + " ids and revisions are deterministic, so consumers can drop"
                                + " repeats).")
                    .define(
                            KAFKA_TRANSACTION_TIMEOUT_MS,
                            Type.INT,
                            300_000,
                            Range.between(1_000, 900_000),
                            Importance.LOW,
                            "Kafka transaction timeout of the exactly-once sinks; at most the"
                                + " broker's transaction.max.timeout.ms (15 min by default), and"
                                + " well above the checkpoint interval plus a restart.")
                    .define(
                            KAFKA_TRANSACTIONAL_ID_PREFIX,
                            Type.STRING,
                            "vigil-matching",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Prefix of the sinks' transactional ids; unique per job on a Kafka"
                                    + " cluster.")
                    .define(
                            RESTORE_FROM,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "Savepoint or retained checkpoint (a chk-N directory) to start the job"
                                    + " from; empty starts fresh from the committed offsets.")
                    .define(
                            PARALLELISM,
                            Type.INT,
                            2,
                            Range.between(1, 4096),
                            Importance.MEDIUM,
                            "Parallelism of the job's operators.")
                    .define(
                            OUT_OF_ORDERNESS_MS,
                            Type.LONG,
                            5000L,
                            Range.atLeast(0),
                            Importance.LOW,
                            "Bounded out-of-orderness of capture timestamps for watermarks.");

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfig.class);

    private final KafkaConnection kafka;
    private final FaceModels models;
    private final Calibration calibration;
    private final MatchPolicy matchPolicy;
    private double threshold;

    public PipelineConfig(Map<?, ?> props) {
        super(CONFIG, props);
        this.kafka =
                KafkaConnection.of(
                        getString(BOOTSTRAP_SERVERS), originalsWithPrefix(KafkaConnection.PREFIX));
        this.models = loadModels();
        if (watchlistBackend() == IndexSpec.Backend.LUCENE
                && getString(WATCHLIST_INDEX_DIR).isBlank()) {
            throw new ConfigException(
                    WATCHLIST_INDEX_DIR, "", "is required when " + WATCHLIST_BACKEND + "=lucene");
        }
        if (watchlistBackend() == IndexSpec.Backend.MILVUS) {
            try {
                milvusSettings();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        MILVUS_URI + " / " + MILVUS_COLLECTION,
                        getString(MILVUS_URI),
                        e.getMessage());
            }
        }
        if (exactlyOnce() && checkpointIntervalMs() == 0) {
            throw new ConfigException(
                    CHECKPOINT_INTERVAL_MS,
                    0,
                    "must be positive with "
                            + DELIVERY_GUARANTEE
                            + "=exactly-once: transactions are committed by checkpoints");
        }
        if (exactlyOnce() && getInt(KAFKA_TRANSACTION_TIMEOUT_MS) < 3 * checkpointIntervalMs()) {
            throw new ConfigException(
                    KAFKA_TRANSACTION_TIMEOUT_MS,
                    getInt(KAFKA_TRANSACTION_TIMEOUT_MS),
                    "must be at least 3 x " + CHECKPOINT_INTERVAL_MS);
        }
        this.calibration = loadCalibration();
        this.matchPolicy = resolveMatchPolicy();
        try {
            trackingSettings();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    ALERT_SUPPRESSION_MS
                            + " / "
                            + TRACK_TIMEOUT_MS
                            + " / "
                            + ALERT_SILENT_CAMERA_MS,
                    getLong(ALERT_SUPPRESSION_MS),
                    e.getMessage());
        }
    }

    private Calibration loadCalibration() {
        String file = getString(MATCH_CALIBRATION_FILE);
        if (file.isBlank()) {
            return null;
        }
        Calibration c;
        try {
            c = Calibration.load(Path.of(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(MATCH_CALIBRATION_FILE, file, e.getMessage());
        }
        if (!c.modelId().equals(embedderId())) {
            throw new ConfigException(
                    MATCH_CALIBRATION_FILE,
                    file,
                    "was made for embedder "
                            + c.modelId()
                            + ", not "
                            + embedderId()
                            + " ("
                            + MODEL_EMBEDDER
                            + ")");
        }
        return c;
    }

    private FaceModels loadModels() {
        Path assets = Path.of(getString(ASSETS_DIR));
        ModelManifest detector = manifest(MODEL_DETECTOR);
        ModelManifest landmarks =
                ModelCatalog.NONE.equals(getString(MODEL_LANDMARK))
                        ? null
                        : manifest(MODEL_LANDMARK);
        ModelManifest embedder = manifest(MODEL_EMBEDDER);
        try {
            return new FaceModels(detector, landmarks, embedder, assets.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    MODEL_DETECTOR + " / " + MODEL_LANDMARK + " / " + MODEL_EMBEDDER,
                    getString(MODEL_DETECTOR),
                    e.getMessage());
        }
    }

    private ModelManifest manifest(String setting) {
        try {
            return ModelCatalog.resolve(getString(setting));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new ConfigException(setting, getString(setting), e.getMessage());
        }
    }

    /**
     * The floor is the embedder manifest's or the calibration's, whichever is higher; the threshold
     * is the explicit setting, else the calibrated one, else the manifest's.
     */
    private MatchPolicy resolveMatchPolicy() {
        ModelManifest.Threshold t = models.embedder().threshold();
        double floor = t.floor();
        if (calibration != null) {
            floor = Math.max(floor, calibration.floor());
        }
        boolean explicit = originals().containsKey(MATCH_THRESHOLD);
        double threshold = explicit ? getDouble(MATCH_THRESHOLD) : t.value();
        if (calibration != null) {
            if (!explicit) {
                threshold = Math.max(floor, calibration.threshold());
            } else if (Math.abs(threshold - calibration.threshold()) > 1e-6) {
                LOG.warn(
                        "{}={} overrides the calibrated threshold {} (FMR {}) of {}",
                        MATCH_THRESHOLD,
                        threshold,
                        calibration.threshold(),
                        calibration.targetFmr(),
                        getString(MATCH_CALIBRATION_FILE));
            }
        }
        if (threshold < floor) {
            throw new ConfigException(
                    MATCH_THRESHOLD,
                    threshold,
                    "is below the calibrated floor " + (float) floor + " of model " + embedderId());
        }
        this.threshold = threshold;
        return new MatchPolicy(embedderId(), (float) threshold, (float) floor, getInt(MATCH_TOP_K));
    }

    /**
     * Properties file (optional) overlaid with VIGIL_* environment variables and explicit
     * overrides.
     */
    public static PipelineConfig load(
            Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Object> props = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new ConfigException(
                        "cannot read config file " + file + ": " + e.getMessage());
            }
            p.forEach((k, v) -> props.put(k.toString(), v));
        }
        for (String key : CONFIG.names()) {
            String envName = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            if (env.containsKey(envName)) {
                props.put(key, env.get(envName));
            }
        }
        props.putAll(KafkaConnection.fromEnvironment(env));
        props.putAll(overrides);
        return new PipelineConfig(props);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS);
    }

    /** Bootstrap servers and the {@code vigil.kafka.client.*} settings of every Kafka client. */
    public KafkaConnection kafka() {
        return kafka;
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    public String framesTopic() {
        return getString(TOPIC_FRAMES);
    }

    public String alertsTopic() {
        return getString(TOPIC_ALERTS);
    }

    public String deadLetterTopic() {
        return getString(TOPIC_DEAD_LETTER);
    }

    public String cameraStatusTopic() {
        return getString(TOPIC_CAMERA_STATUS);
    }

    public String camerasTopic() {
        return getString(TOPIC_CAMERAS);
    }

    public String auditTopic() {
        return getString(TOPIC_AUDIT);
    }

    public String reviewsTopic() {
        return getString(TOPIC_REVIEWS);
    }

    /** True when the tools write audit events to the audit topic (the default). */
    public boolean auditToKafka() {
        return "kafka".equals(getString(AUDIT_SINK));
    }

    public long retentionFramesMs() {
        return getLong(RETENTION_FRAMES_MS);
    }

    public long retentionAlertsMs() {
        return getLong(RETENTION_ALERTS_MS);
    }

    public long retentionAuditMs() {
        return getLong(RETENTION_AUDIT_MS);
    }

    public long retentionDeadLetterMs() {
        return getLong(RETENTION_DEAD_LETTER_MS);
    }

    public int prometheusPort() {
        return getInt(METRICS_PROMETHEUS_PORT);
    }

    public int reviewConfirmationsRequired() {
        return getInt(REVIEW_CONFIRMATIONS);
    }

    public int frameMaxBytes() {
        return getInt(FRAME_MAX_BYTES);
    }

    public int frameMaxPixels() {
        return getInt(FRAME_MAX_PIXELS);
    }

    public String embedderId() {
        return models.embedderId();
    }

    /** The threshold in force: explicit, else calibrated, else the model default. */
    public double matchThreshold() {
        return threshold;
    }

    /** The calibration in force, if {@link #MATCH_CALIBRATION_FILE} is set. */
    public java.util.Optional<Calibration> calibration() {
        return java.util.Optional.ofNullable(calibration);
    }

    public QualityFilter matchQualityGate() {
        return QualityFilter.valueOf(getString(MATCH_QUALITY_FILTER).toUpperCase(Locale.ROOT));
    }

    /**
     * The impostor scores the threshold was calibrated on: the calibration file's, else the
     * embedder manifest's; empty when neither has them.
     */
    public java.util.Optional<io.vigil.matching.ImpostorSample> impostorSample() {
        if (calibration != null) {
            return java.util.Optional.of(calibration.impostors());
        }
        ModelManifest.Threshold t = faceModels().embedder().threshold();
        return java.util.Optional.ofNullable(t == null ? null : t.impostors());
    }

    /**
     * False alerts per camera-hour expected for a watchlist of {@code watchlistFaces} faces at the
     * threshold and consensus rule in force; empty when no impostor sample covers the threshold.
     */
    public java.util.Optional<io.vigil.matching.FalseAlertEstimate.Result> falseAlertEstimate(
            long watchlistFaces) {
        return impostorSample()
                .filter(s -> matchThreshold() >= s.tailFrom())
                .map(
                        s ->
                                io.vigil.matching.FalseAlertEstimate.of(
                                        s,
                                        matchThreshold(),
                                        new io.vigil.matching.FalseAlertEstimate.Load(
                                                watchlistFaces,
                                                getDouble(ALERT_EXPECTED_PEOPLE_PER_HOUR),
                                                getInt(ALERT_EXPECTED_FRAMES_PER_PERSON),
                                                getInt(ALERT_CONSENSUS_FRAMES))));
    }

    public double maxExpectedFalseAlertsPerHour() {
        return getDouble(ALERT_MAX_EXPECTED_FALSE_PER_HOUR);
    }

    public TrackingSettings trackingSettings() {
        return new TrackingSettings(
                getDouble(TRACK_MIN_IOU).floatValue(),
                getDouble(TRACK_MAX_CENTRE_SHIFT).floatValue(),
                getLong(TRACK_TIMEOUT_MS),
                getInt(ALERT_CONSENSUS_FRAMES),
                getLong(ALERT_CONSENSUS_WINDOW_MS),
                getLong(ALERT_SUPPRESSION_MS),
                getLong(ALERT_UPDATE_INTERVAL_MS),
                getLong(ALERT_SILENT_CAMERA_MS));
    }

    public long checkpointIntervalMs() {
        return getLong(CHECKPOINT_INTERVAL_MS);
    }

    /** The checkpoint location as a URI; empty for the JobManager's memory. */
    public String checkpointDir() {
        String d = getString(CHECKPOINT_DIR).strip();
        if (d.isEmpty() || d.contains("://")) {
            return d;
        }
        return Path.of(d).toAbsolutePath().toUri().toString();
    }

    public boolean retainCheckpointOnCancel() {
        return getBoolean(CHECKPOINT_RETAIN_ON_CANCEL);
    }

    public String stateBackend() {
        return getString(STATE_BACKEND).toLowerCase(Locale.ROOT);
    }

    public boolean exactlyOnce() {
        return getString(DELIVERY_GUARANTEE).equalsIgnoreCase("exactly-once");
    }

    public int kafkaTransactionTimeoutMs() {
        return getInt(KAFKA_TRANSACTION_TIMEOUT_MS);
    }

    public String transactionalIdPrefix() {
        return getString(KAFKA_TRANSACTIONAL_ID_PREFIX);
    }

    /** Savepoint or retained checkpoint to start from; empty to start fresh. */
    public String restoreFrom() {
        return getString(RESTORE_FROM).strip();
    }

    public int parallelism() {
        return getInt(PARALLELISM);
    }

    public long maxOutOfOrdernessMs() {
        return getLong(OUT_OF_ORDERNESS_MS);
    }

    public Path watchlistIndexDir() {
        return Path.of(getString(WATCHLIST_INDEX_DIR));
    }

    public IndexSpec.Backend watchlistBackend() {
        return IndexSpec.Backend.valueOf(getString(WATCHLIST_BACKEND).toUpperCase(Locale.ROOT));
    }

    /** The configured watchlist index (Lucene directory or Milvus collection). */
    public IndexSpec watchlistIndex() {
        return watchlistBackend() == IndexSpec.Backend.LUCENE
                ? IndexSpec.lucene(
                        watchlistIndexDir(),
                        new LuceneSearch(
                                getBoolean(WATCHLIST_SEARCH_EXACT),
                                getInt(WATCHLIST_SEARCH_THREADS)))
                : IndexSpec.milvus(milvusSettings());
    }

    public MilvusSettings milvusSettings() {
        MilvusSettings d =
                MilvusSettings.defaults(
                        getString(MILVUS_URI), models.embedder().embeddingDimension());
        return new MilvusSettings(
                d.uri(),
                getPassword(MILVUS_TOKEN).value(),
                getString(MILVUS_DATABASE),
                getString(MILVUS_COLLECTION),
                d.dimension(),
                MilvusSettings.parseConsistency(getString(MILVUS_CONSISTENCY)),
                IndexParam.IndexType.valueOf(getString(MILVUS_INDEX_TYPE).toUpperCase(Locale.ROOT)),
                d.hnswM(),
                d.hnswEfConstruction(),
                getInt(MILVUS_SEARCH_EF),
                d.ivfNlist(),
                d.ivfNprobe(),
                getString(MILVUS_TRUST_CERT));
    }

    public Duration watchlistMaxLifetime() {
        return Duration.ofDays(getInt(WATCHLIST_MAX_LIFETIME_DAYS));
    }

    public String watchlistQualityFilter() {
        return getString(WATCHLIST_QUALITY_FILTER).toUpperCase(Locale.ROOT);
    }

    /** The detector, landmark model and embedder their settings name. */
    public FaceModels faceModels() {
        return models;
    }

    /**
     * Loads each configured model once and closes it, so a missing, tampered or unreadable model
     * fails when the job is built, naming its setting, instead of failing every task restart.
     */
    public void verifyModels() {
        verifyModel(MODEL_DETECTOR, models.detector());
        if (models.landmarks() != null) {
            verifyModel(MODEL_LANDMARK, models.landmarks());
        }
        verifyModel(MODEL_EMBEDDER, models.embedder());
    }

    private void verifyModel(String setting, ModelManifest m) {
        Path file = null;
        try {
            file = ModelCatalog.ensure(m, Path.of(models.assetsDir()));
            OnnxModel.load(file, m.sha256(), inferenceOptions()).close();
        } catch (OnnxModel.ModelLoadException
                | IllegalArgumentException
                | java.io.UncheckedIOException e) {
            throw new ConfigException(
                    setting, file == null ? m.id() : file.toString(), e.getMessage());
        }
    }

    public DetectorSettings detectorSettings() {
        return new DetectorSettings(
                getDouble(DETECT_MIN_CONFIDENCE).floatValue(),
                getDouble(DETECT_NMS_IOU).floatValue(),
                getInt(DETECT_MAX_FACES),
                getInt(DETECT_MIN_FACE_PX),
                getInt(DETECT_TILE_MIN_FACE_PX));
    }

    public InferenceOptions inferenceOptions() {
        return new InferenceOptions(getInt(INFERENCE_THREADS), getBoolean(INFERENCE_CUDA), 0);
    }

    public MatchPolicy matchPolicy() {
        return matchPolicy;
    }
}
