package io.vigil.job;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the Flink job runs: consumer group, input limits, checkpoints, state, delivery guarantee,
 * parallelism and event time. Parsing and validation only.
 */
public final class JobSettings extends AbstractConfig {
    public static final String GROUP_ID = "vigil.kafka.group.id";
    public static final String METRICS_PROMETHEUS_PORT = "vigil.metrics.prometheus.port";
    public static final String FRAME_MAX_BYTES = "vigil.frame.max.bytes";
    public static final String FRAME_MAX_PIXELS = "vigil.frame.max.pixels";
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

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            GROUP_ID,
                            Type.STRING,
                            "vigil-matching",
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Consumer group id of the job's frame source.")
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
                            CHECKPOINT_INTERVAL_MS,
                            Type.LONG,
                            // 200 ms measured on the HD city workload: exactly-once capture->alert
                            // p99 275-315 ms up to 18 cameras, against 595-690 ms at 500 ms, with
                            // the same throughput within run-to-run spread (docs/benchmarks.md).
                            200L,
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

    public JobSettings(Map<?, ?> props) {
        super(CONFIG, props, false);
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
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    public int prometheusPort() {
        return getInt(METRICS_PROMETHEUS_PORT);
    }

    public int frameMaxBytes() {
        return getInt(FRAME_MAX_BYTES);
    }

    public int frameMaxPixels() {
        return getInt(FRAME_MAX_PIXELS);
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
}
