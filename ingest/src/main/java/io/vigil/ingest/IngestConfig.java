package io.vigil.ingest;

import io.vigil.common.config.Settings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed, validated settings of the ingest launcher ({@link IngestMain}), checked once at start-up;
 * errors name the setting. Kafka and topic settings are the shared {@link KafkaSettings}, so one
 * properties file or one set of VIGIL_* variables serves every component.
 */
public final class IngestConfig extends AbstractConfig {
    public static final String CAMERAS_FILE = "vigil.ingest.cameras.file";
    public static final String FPS = "vigil.ingest.fps";
    public static final String JPEG_QUALITY = "vigil.ingest.jpeg.quality";
    public static final String OVERFLOW = "vigil.ingest.overflow";
    public static final String QUEUE_FRAMES = "vigil.ingest.queue.frames";
    public static final String STATUS_INTERVAL_MS = "vigil.ingest.status.interval.ms";
    public static final String SHARD_COUNT = "vigil.ingest.shard.count";
    public static final String SHARD_INDEX = "vigil.ingest.shard.index";
    public static final String MAX_FRAMES = "vigil.ingest.max.frames";

    /** The lowest JPEG quality ingest publishes at. */
    public static final int MIN_JPEG_QUALITY = 50;

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            CAMERAS_FILE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "File listing the cameras, one per line: '<camera id> <source>' (file"
                                    + " path or rtsp/http/https/rtmp/udp URL); '#' starts a"
                                    + " comment. Required.")
                    .define(
                            FPS,
                            Type.DOUBLE,
                            2.0,
                            Range.between(0.01, 120),
                            Importance.MEDIUM,
                            "Frames sampled per second of each camera.")
                    .define(
                            JPEG_QUALITY,
                            Type.INT,
                            85,
                            Range.between(MIN_JPEG_QUALITY, 100),
                            Importance.MEDIUM,
                            "JPEG quality of published frames. Frames are never resized: the"
                                    + " detector needs every pixel of a 30-80 px face. Under 50,"
                                    + " blocking erases the detail of the smallest faces (`vigil"
                                    + " eval --field`, jpeg-q20 against clean), so lower values"
                                    + " are refused.")
                    .define(
                            OVERFLOW,
                            Type.STRING,
                            "drop-oldest",
                            ConfigDef.CaseInsensitiveValidString.in("drop-oldest", "block"),
                            Importance.MEDIUM,
                            "When Kafka cannot keep up and the queue is full: drop the oldest"
                                    + " queued frame (counted) or make the cameras wait.")
                    .define(
                            QUEUE_FRAMES,
                            Type.INT,
                            KafkaFramePublisher.DEFAULT_MAX_QUEUED_FRAMES,
                            Range.between(1, 1_000_000),
                            Importance.MEDIUM,
                            "Frames held in memory in front of Kafka, for all cameras of this"
                                    + " process.")
                    .define(
                            STATUS_INTERVAL_MS,
                            Type.LONG,
                            10_000L,
                            Range.between(100, 3_600_000),
                            Importance.LOW,
                            "How often each camera's status is published (also on every state"
                                    + " change).")
                    .define(
                            SHARD_COUNT,
                            Type.INT,
                            1,
                            Range.between(1, 100_000),
                            Importance.MEDIUM,
                            "Ingest processes sharing the camera list (replicas of a StatefulSet).")
                    .define(
                            SHARD_INDEX,
                            Type.INT,
                            0,
                            Range.atLeast(0),
                            Importance.MEDIUM,
                            "This process's shard, 0 .. shard.count-1: it streams the cameras whose"
                                    + " id hashes (CRC32) to it, so adding a camera moves no"
                                    + " other.")
                    .define(
                            MAX_FRAMES,
                            Type.LONG,
                            0L,
                            Range.atLeast(0),
                            Importance.LOW,
                            "Stop each camera after this many frames; 0 streams until stopped.");

    private final KafkaSettings kafka;

    public IngestConfig(Map<?, ?> props) {
        super(CONFIG, props);
        this.kafka = new KafkaSettings(props);
        if (getString(CAMERAS_FILE).isBlank()) {
            throw new ConfigException(CAMERAS_FILE, "", "is required");
        }
        if (shardIndex() >= shardCount()) {
            throw new ConfigException(
                    SHARD_INDEX,
                    shardIndex(),
                    "must be less than " + SHARD_COUNT + "=" + shardCount());
        }
    }

    /** A properties file (optional) overlaid with VIGIL_* environment variables. */
    public static IngestConfig load(Path file, Map<String, String> env) {
        return new IngestConfig(Settings.load(file, env, Map.of(), CONFIG, KafkaSettings.CONFIG));
    }

    /** Bootstrap servers, topics and the {@code vigil.kafka.client.*} settings, as the job's. */
    public KafkaSettings kafka() {
        return kafka;
    }

    /** Client settings for a secured cluster (security.protocol, sasl.*, ssl.*). */
    public Properties kafkaClient() {
        Properties p = new Properties();
        p.putAll(kafka.kafka().client());
        return p;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String framesTopic() {
        return kafka.topic(Topic.FRAMES);
    }

    public String cameraStatusTopic() {
        return kafka.topic(Topic.CAMERA_STATUS);
    }

    public KafkaFramePublisher.Overflow overflow() {
        return getString(OVERFLOW).equalsIgnoreCase("block")
                ? KafkaFramePublisher.Overflow.BLOCK
                : KafkaFramePublisher.Overflow.DROP_OLDEST;
    }

    public int queueFrames() {
        return getInt(QUEUE_FRAMES);
    }

    public long statusIntervalMs() {
        return getLong(STATUS_INTERVAL_MS);
    }

    public int shardCount() {
        return getInt(SHARD_COUNT);
    }

    public int shardIndex() {
        return getInt(SHARD_INDEX);
    }

    /** Every camera of the cameras file, validated; errors name the file and line. */
    public List<CameraSpec> allCameras() {
        return allCameras(System.getenv());
    }

    /**
     * As {@link #allCameras()}, with {@code ${env:NAME}} in a source replaced by that environment
     * variable: camera credentials come from a Secret's variables, never from the cameras file,
     * which sits in a ConfigMap every pod can read. An error names the variable, never its value.
     */
    public List<CameraSpec> allCameras(Map<String, String> env) {
        Path file = Path.of(getString(CAMERAS_FILE));
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(CAMERAS_FILE, file.toString(), "cannot be read: " + e);
        }
        List<CameraSpec> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] parts = line.split("\\s+", 2);
            if (parts.length != 2) {
                throw new ConfigException(CAMERAS_FILE, where, "expected '<camera id> <source>'");
            }
            if (!ids.add(parts[0])) {
                throw new ConfigException(
                        CAMERAS_FILE, where, "camera " + parts[0] + " is listed twice");
            }
            try {
                CameraSpec base =
                        CameraSpec.of(parts[0], fromEnvironment(parts[1], env), getDouble(FPS));
                out.add(
                        new CameraSpec(
                                base.cameraId(),
                                base.source(),
                                base.sampleFps(),
                                base.realtime(),
                                false,
                                getLong(MAX_FRAMES),
                                getInt(JPEG_QUALITY),
                                base.reconnectInitialBackoff(),
                                base.reconnectMaxBackoff()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CAMERAS_FILE, where, e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(CAMERAS_FILE, file.toString(), "lists no camera");
        }
        return out;
    }

    /** A source with each {@code ${env:NAME}} replaced by the variable's value. */
    static String fromEnvironment(String source, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int start = source.indexOf("${env:", i);
            if (start < 0) {
                return out.append(source, i, source.length()).toString();
            }
            int end = source.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed ${env: reference in a source");
            }
            String name = source.substring(start + 6, end);
            String value = env.get(name);
            if (value == null) {
                throw new IllegalArgumentException(
                        "environment variable " + name + " (referenced by a source) is not set");
            }
            out.append(source, i, start).append(value);
            i = end + 1;
        }
    }

    /** The cameras this process streams: those whose id hashes to its shard. */
    public List<CameraSpec> myCameras() {
        return allCameras().stream()
                .filter(c -> shardOf(c.cameraId(), shardCount()) == shardIndex())
                .toList();
    }

    /** Stable across processes, languages and camera-list edits. */
    public static int shardOf(String cameraId, int shards) {
        CRC32 crc = new CRC32();
        crc.update(cameraId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }
}
