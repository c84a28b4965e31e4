package io.vigil.job;

import io.vigil.common.audit.AuditChain;
import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.VectorIndex;
import io.vigil.job.track.AlertSettings;
import io.vigil.job.track.ObservationCamera;
import io.vigil.job.track.TrackConsensusFunction;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.FaceDetection;
import io.vigil.schemas.FaceObservation;
import io.vigil.vision.model.FalseAlertEstimate;
import io.vigil.watchlist.camera.CameraRegistry;
import io.vigil.watchlist.camera.KafkaCameraStore;
import io.vigil.watchlist.settings.MatchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matching pipeline: frames (Kafka) -> decode-frames (checked against the camera registry) ->
 * detect-embed -> match-watchlist -> (by camera) track-consensus -> alerts (Kafka), with an audit
 * event for every alert raised and closed, and a dead-letter output for every record that cannot be
 * processed.
 *
 * <p>Matching runs inside this job, chained after the embedder: embeddings never leave the operator
 * chain, so a face that matches nothing is never serialised to any topic, and there is no extra
 * network hop on the latency path.
 *
 * <p>Sources and sinks come in through the constructor so tests can wire their own; {@link #main}
 * wires the production Kafka ones.
 */
public final class WatchlistMatchingJob {
    public static final String JOB_NAME = "vigil-watchlist-matching";
    private static final Logger LOG = LoggerFactory.getLogger(WatchlistMatchingJob.class);

    private final Source<RawRecord, ?, ?> frames;
    private final CameraRegistry cameras;
    private final Source<CameraRegistration, ?, ?> cameraUpdates;
    private final Sink<Alert> alerts;
    private final Sink<DeadLetter> deadLetters;
    private final Sink<AuditChain.Written> audit;
    private final PipelineConfig config;

    /**
     * @param cameras the registry when the job is built; frames of cameras not in it (or in a later
     *     update) are dead-lettered
     * @param cameraUpdates registrations read while the job runs (the registry topic)
     */
    public WatchlistMatchingJob(
            Source<RawRecord, ?, ?> frames,
            CameraRegistry cameras,
            Source<CameraRegistration, ?, ?> cameraUpdates,
            Sink<Alert> alerts,
            Sink<DeadLetter> deadLetters,
            Sink<AuditChain.Written> audit,
            PipelineConfig config) {
        // Fail here, naming the setting, rather than in every restart of a running job.
        config.verifyModels();
        config.watchlistSettings().refuseGallery();
        config.auditSettings().signingKeyFile();
        if (cameras.activeCount() == 0) {
            LOG.warn(
                    "no active camera in the registry ({}): every frame is dead-lettered until a"
                            + " camera is registered",
                    config.camerasTopic());
        }
        this.frames = frames;
        this.cameras = cameras;
        this.cameraUpdates = cameraUpdates;
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.config = config;
    }

    /**
     * Flink settings the job needs: checkpointing, state backend, retention and, if set, the
     * savepoint or checkpoint to restore. Applied by {@link #build}; a launcher creating its own
     * environment may also pass them in.
     */
    public static Configuration flinkSettings(PipelineConfig c) {
        Configuration f = new Configuration();
        if (c.checkpointIntervalMs() > 0) {
            f.set(
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    Duration.ofMillis(c.checkpointIntervalMs()));
            f.set(
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    CheckpointingMode.EXACTLY_ONCE);
            f.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    c.retainCheckpointOnCancel()
                            ? ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION
                            : ExternalizedCheckpointRetention.DELETE_ON_CANCELLATION);
        }
        if (!c.checkpointDir().isEmpty()) {
            f.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            f.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, c.checkpointDir());
        }
        f.set(StateBackendOptions.STATE_BACKEND, c.stateBackend());
        if (!c.restoreFrom().isEmpty()) {
            f.set(StateRecoveryOptions.SAVEPOINT_PATH, c.restoreFrom());
        }
        return f;
    }

    /** Adds the pipeline to an environment. */
    public void build(StreamExecutionEnvironment env) {
        env.configure(flinkSettings(config));
        // Every operator emits new records and keeps none of its inputs, so chained operators may
        // pass records by reference instead of deep-copying decoded frames and embeddings.
        env.getConfig().enableObjectReuse();
        if (config.checkpointIntervalMs() > 0 && config.checkpointDir().isEmpty()) {
            LOG.warn(
                    "{} is not set: checkpoints are kept in the JobManager's memory and do not"
                            + " survive it",
                    JobSettings.CHECKPOINT_DIR);
        }
        WatermarkStrategy<RawRecord> watermarks =
                WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                                Duration.ofMillis(config.maxOutOfOrdernessMs()))
                        .withTimestampAssigner(new RawRecordTimestamps())
                        .withIdleness(Duration.ofSeconds(30));

        DataStream<RawRecord> raw =
                env.fromSource(frames, watermarks, "frames-source").uid("frames-source");

        BroadcastStream<CameraRegistration> registry =
                env.fromSource(
                                cameraUpdates,
                                WatermarkStrategy.noWatermarks(),
                                "camera-registry-source")
                        .uid("camera-registry-source")
                        .setParallelism(1)
                        .broadcast(FrameDecodeFunction.REGISTRY);

        SingleOutputStreamOperator<DecodedFrame> decoded =
                raw.connect(registry)
                        .process(
                                new FrameDecodeFunction(
                                        new FrameDecoder(
                                                config.frameMaxBytes(), config.frameMaxPixels()),
                                        cameras))
                        .name("decode-frames")
                        .uid("decode-frames");

        SingleOutputStreamOperator<FaceDetection> faces =
                decoded.process(
                                new FaceEmbeddingFunction(
                                        config.faceModels(),
                                        config.detectorSettings(),
                                        config.matchQualityGate(),
                                        config.inferenceOptions(),
                                        config.motionGate(),
                                        config.faceTracks()))
                        .name("detect-embed")
                        .uid("detect-embed");

        SingleOutputStreamOperator<FaceObservation> matched =
                faces.process(
                                new WatchlistMatchFunction(
                                        config.watchlistIndex(), config.matchPolicy()))
                        .name("match-watchlist")
                        .uid("match-watchlist");

        SingleOutputStreamOperator<Alert> tracked =
                matched.keyBy(new ObservationCamera())
                        .process(new TrackConsensusFunction(config.trackingSettings()))
                        .name("track-consensus")
                        .uid("track-consensus");

        tracked.sinkTo(alerts).name("alerts-sink").uid("alerts-sink");
        tracked.flatMap(new AlertAuditEvents())
                .name("audit-alerts")
                .uid("audit-alerts")
                .union(decoded.getSideOutput(FrameDecodeFunction.AUDIT))
                .transform(
                        "audit-chain",
                        TypeInformation.of(AuditChain.Written.class),
                        new AuditChainOperator(config.auditSettings()))
                .uid("audit-chain")
                .sinkTo(audit)
                .name("audit-sink")
                .uid("audit-sink");
        faces.getSideOutput(FrameAccountingFunction.TAG)
                .process(new FrameAccountingFunction())
                .name("frame-accounting")
                .uid("frame-accounting");
        decoded.getSideOutput(DeadLetters.TAG)
                .union(faces.getSideOutput(DeadLetters.TAG))
                .sinkTo(deadLetters)
                .name("dead-letter-sink")
                .uid("dead-letter-sink");
    }

    public JobExecutionResult execute() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(config.parallelism());
        build(env);
        return env.execute(JOB_NAME);
    }

    /** Submits without blocking; the caller owns the returned client. */
    public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(JOB_NAME);
    }

    /**
     * Production Kafka source of raw frame records, starting from committed offsets (else
     * earliest).
     */
    public static KafkaSource<RawRecord> kafkaFrames(PipelineConfig c, boolean bounded) {
        var b =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(c.bootstrapServers())
                        .setTopics(c.framesTopic())
                        .setGroupId(c.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(
                                        org.apache.kafka.clients.consumer.OffsetResetStrategy
                                                .EARLIEST))
                        .setDeserializer(new RawRecordDeserializer())
                        .setProperty("partition.discovery.interval.ms", "10000");
        c.kafka().client().forEach(b::setProperty);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** The registry topic from its start; bounded jobs stop at its end offsets at start. */
    public static KafkaSource<CameraRegistration> kafkaCameraUpdates(
            PipelineConfig c, boolean bounded) {
        var b =
                KafkaSource.<CameraRegistration>builder()
                        .setBootstrapServers(c.bootstrapServers())
                        .setTopics(c.camerasTopic())
                        .setGroupId(c.groupId() + "-cameras")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new CameraRegistrationDeserializer())
                        .setProperty("isolation.level", "read_committed");
        c.kafka().client().forEach(b::setProperty);
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** The registry as it is now, read to the end of the registry topic. */
    public static CameraRegistry kafkaCameras(PipelineConfig c) {
        return CameraRegistry.of(new KafkaCameraStore(c.kafka(), c.camerasTopic()).all().values());
    }

    public static KafkaSink<AuditChain.Written> kafkaAudit(PipelineConfig c) {
        return delivery(KafkaSink.<AuditChain.Written>builder(), c, "audit")
                .setRecordSerializer(new ChainedAuditSerializer(c.auditTopic()))
                .build();
    }

    /**
     * The audit record of a job start: the settings every search of this run is made under. Written
     * by the launcher before it submits the job.
     */
    public static AuditEvent jobStarted(
            PipelineConfig c,
            CameraRegistry cameras,
            Optional<FalseAlertEstimate.Result> expected,
            String actor) {
        return AuditEvents.event(AuditEventType.JOB_STARTED, actor, java.time.Instant.now())
                .setReason("job " + JOB_NAME + " submitted")
                .setDetails(
                        AuditEvents.details(
                                "threshold", c.matchPolicy().threshold(),
                                "floor", c.matchPolicy().floor(),
                                "modelId", c.matchPolicy().modelId(),
                                "consensusFrames", c.trackingSettings().consensusFrames(),
                                "qualityFilter", c.matchQualityGate(),
                                "watchlistBackend", c.watchlistBackend(),
                                "activeCameras", cameras.activeCount(),
                                "registeredCameras", cameras.size(),
                                "deliveryGuarantee",
                                        c.exactlyOnce() ? "exactly-once" : "at-least-once",
                                "restoreFrom", c.restoreFrom().isEmpty() ? null : c.restoreFrom(),
                                "watchlistFaces",
                                        expected.map(e -> e.load().watchlistFaces()).orElse(null),
                                "expectedFalseAlertsPerCameraHour",
                                        expected.map(e -> rate(e.falseAlertsPerCameraHour()))
                                                .orElse("unknown"),
                                "expectedFalseAlertsPerCameraHourUpper95",
                                        expected.map(e -> rate(e.falseAlertsPerCameraHourUpper95()))
                                                .orElse(null),
                                "impostorPairs",
                                        expected.map(FalseAlertEstimate.Result::impostorPairs)
                                                .orElse(null)))
                .build();
    }

    private static String rate(double perHour) {
        return String.format(java.util.Locale.ROOT, "%.3g", perHour);
    }

    /**
     * The false alerts per camera-hour to expect from the watchlist as it is now, logged: a WARN
     * when the estimate or its upper bound exceeds {@link
     * PipelineConfig#ALERT_MAX_EXPECTED_FALSE_PER_HOUR}, or when it cannot be made.
     */
    public static Optional<FalseAlertEstimate.Result> expectedFalseAlerts(PipelineConfig c) {
        long faces;
        try (VectorIndex index = c.watchlistIndex().open(true)) {
            faces = index.faceCount();
        }
        Optional<FalseAlertEstimate.Result> e = c.falseAlertEstimate(faces);
        if (e.isEmpty()) {
            LOG.warn(
                    "false alerts per camera-hour cannot be estimated: the embedder {} has no"
                            + " impostor sample covering threshold {}; run vigil calibrate and set"
                            + " {}",
                    c.matchPolicy().modelId(),
                    c.matchThreshold(),
                    MatchSettings.MATCH_CALIBRATION_FILE);
        } else if (e.get().falseAlertsPerCameraHourUpper95() > c.maxExpectedFalseAlertsPerHour()) {
            LOG.warn(
                    "{}: above {}={} (raise the threshold, shrink the watchlist or calibrate on"
                            + " more impostor pairs)",
                    e.get().summary(),
                    AlertSettings.ALERT_MAX_EXPECTED_FALSE_PER_HOUR,
                    c.maxExpectedFalseAlertsPerHour());
        } else {
            LOG.info("{}", e.get().summary());
        }
        return e;
    }

    public static KafkaSink<Alert> kafkaAlerts(PipelineConfig c) {
        return delivery(KafkaSink.<Alert>builder(), c, "alerts")
                .setRecordSerializer(
                        new AvroRecordSerializer<>(c.alertsTopic(), new RecordKeys.AlertByCamera()))
                .build();
    }

    public static KafkaSink<DeadLetter> kafkaDeadLetters(PipelineConfig c) {
        return delivery(KafkaSink.<DeadLetter>builder(), c, "dead-letter")
                .setRecordSerializer(
                        new AvroRecordSerializer<>(
                                c.deadLetterTopic(), new RecordKeys.DeadLetterByOriginalKey()))
                .setProperty("max.request.size", String.valueOf(DeadLetters.MAX_RECORD_BYTES))
                .build();
    }

    /**
     * Idempotent producers always; transactions committed by checkpoints for exactly-once. The
     * transactions reuse a small pool of names: the connector's default mints a new transactional
     * id per checkpoint and subtask, which the broker keeps for 7 days (at 500 ms checkpoints, 3
     * sinks and parallelism 2: about 7 million a week), and registers a new producer each time.
     * Pooling needs Kafka 3.0+ and, on a secured cluster, DESCRIBE on the transactional ids.
     */
    private static <T> KafkaSinkBuilder<T> delivery(
            KafkaSinkBuilder<T> b, PipelineConfig c, String sink) {
        c.kafka().client().forEach(b::setProperty);
        b.setBootstrapServers(c.bootstrapServers())
                .setProperty("enable.idempotence", "true")
                .setProperty("acks", "all");
        if (c.exactlyOnce()) {
            b.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(c.transactionalIdPrefix() + "-" + sink)
                    .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                    .setProperty(
                            "transaction.timeout.ms",
                            String.valueOf(c.kafkaTransactionTimeoutMs()));
        } else {
            b.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        return b;
    }

    /** Usage: WatchlistMatchingJob [config.properties]; VIGIL_* environment variables override. */
    public static void main(String[] args) throws Exception {
        PipelineConfig config =
                PipelineConfig.load(
                        args.length > 0 ? Path.of(args[0]) : null, System.getenv(), Map.of());
        CameraRegistry cameras = kafkaCameras(config);
        try (AuditLog.Closeable audit =
                AuditLog.open(config.auditSettings(), config.kafkaSettings(), "job-launcher")) {
            audit.record(
                    jobStarted(config, cameras, expectedFalseAlerts(config), "system:" + JOB_NAME));
        }
        new WatchlistMatchingJob(
                        kafkaFrames(config, false),
                        cameras,
                        kafkaCameraUpdates(config, false),
                        kafkaAlerts(config),
                        kafkaDeadLetters(config),
                        kafkaAudit(config),
                        config)
                .execute();
    }
}
