package io.vigil.local;

import io.vigil.common.audit.AuditKeys;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topics;
import io.vigil.job.JobSettings;
import io.vigil.job.PipelineConfig;
import io.vigil.job.WatchlistMatchingJob;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraRegistrationStatus;
import io.vigil.vision.face.QualityFilter;
import io.vigil.watchlist.EnrollmentReport;
import io.vigil.watchlist.WatchlistAccess;
import io.vigil.watchlist.WatchlistEnroller;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.camera.CameraRegistry;
import io.vigil.watchlist.camera.KafkaCameraStore;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the pipeline needs on one machine with nothing installed: a real KRaft broker in this
 * JVM, the topics, the watchlist index, and the job on Flink's local MiniCluster. Used by the demo
 * launcher and the integration tests alike.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafkaBroker broker;
    private final PipelineConfig config;
    private JobClient job;

    private LocalStack(EmbeddedKafkaBroker broker, PipelineConfig config) {
        this.broker = broker;
        this.config = config;
    }

    /**
     * Starts a broker under {@code workDir/kafka}, builds the config (the broker address and {@code
     * workDir/watchlist-index} are filled in unless given) and creates the topics.
     */
    public static LocalStack start(
            Path workDir, Map<String, String> settings, int framePartitions) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"));
        try {
            return onBroker(
                    broker,
                    broker.bootstrapServers(),
                    workDir,
                    settings,
                    framePartitions,
                    (short) 1);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * The same on a Kafka that runs elsewhere (a broker process a fault test kills and restarts).
     */
    public static LocalStack onKafka(
            String bootstrapServers,
            Path workDir,
            Map<String, String> settings,
            int framePartitions) {
        return onBroker(null, bootstrapServers, workDir, settings, framePartitions, (short) 1);
    }

    /** The same on a replicated Kafka: every topic with {@code replicas} copies. */
    public static LocalStack onKafka(
            String bootstrapServers,
            Path workDir,
            Map<String, String> settings,
            int framePartitions,
            short replicas) {
        return onBroker(null, bootstrapServers, workDir, settings, framePartitions, replicas);
    }

    private static LocalStack onBroker(
            EmbeddedKafkaBroker broker,
            String bootstrapServers,
            Path workDir,
            Map<String, String> settings,
            int framePartitions,
            short replicas) {
        Map<String, String> props = new HashMap<>(settings);
        props.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        props.putIfAbsent(
                WatchlistSettings.WATCHLIST_INDEX_DIR,
                workDir.resolve("watchlist-index").toString());
        if (!props.containsKey(AuditSettings.SIGNING_KEY_FILE)) {
            props.put(AuditSettings.SIGNING_KEY_FILE, auditKey(workDir).toString());
        }
        PipelineConfig config = PipelineConfig.of(props);
        Topics.create(
                bootstrapServers, Topics.all(config.kafkaSettings(), framePartitions, replicas));
        LOG.info("Kafka (KRaft) at {}", bootstrapServers);
        return new LocalStack(broker, config);
    }

    /**
     * The stack's audit signing key ({@code workDir/audit-keys}), made on first start; its public
     * half lies beside it for {@code vigil audit verify}.
     */
    public static Path auditKey(Path workDir) {
        Path key = workDir.resolve("audit-keys").resolve("audit-signing.pem");
        return Files.exists(key) ? key : AuditKeys.write(AuditKeys.generate(), key.getParent());
    }

    public PipelineConfig config() {
        return config;
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The purposes of the cameras {@link #registerCameras(String...)} registers. */
    public static final List<String> TEST_PURPOSES = List.of("testing");

    /**
     * Enrolls {@code <external-id>/<photo>} folders into the job's watchlist index, to be matched
     * for {@code purposes}.
     */
    public List<EnrollmentReport> enroll(
            Path photos,
            String enrolledBy,
            String legalBasis,
            Instant expiresAt,
            List<String> purposes) {
        return withService(
                service ->
                        new WatchlistEnroller(service)
                                .enrollFolder(
                                        photos,
                                        enrolledBy,
                                        legalBasis,
                                        expiresAt,
                                        QualityFilter.valueOf(
                                                config.watchlistSettings().qualityFilter()),
                                        purposes,
                                        List.of()));
    }

    /** Removes a person from the watchlist while the job runs; returns the faces removed. */
    public long remove(String externalId, String actor, String reason) {
        return withService(service -> service.remove(externalId, actor, reason));
    }

    /** Runs an operation on a short-lived watchlist service, as the CLI does. */
    public <T> T withService(Function<WatchlistService, T> operation) {
        try (AuditLog.Closeable audit =
                        AuditLog.open(config.auditSettings(), config.kafkaSettings());
                WatchlistAccess access =
                        WatchlistAccess.open(
                                config.modelSettings(),
                                config.watchlistSettings(),
                                audit,
                                Clock.systemUTC())) {
            return access.with(operation);
        }
    }

    /** Registers (or updates) cameras in the registry topic, audited under their actor. */
    public int registerCameras(List<CameraRegistration> cameras) {
        return withCameraAdmin(admin -> admin.register(cameras));
    }

    /** Registers active cameras with placeholder details, for tests and tools on local data. */
    public int registerCameras(String... cameraIds) {
        Instant now = Instant.now();
        List<CameraRegistration> cams = new ArrayList<>();
        for (String id : cameraIds) {
            cams.add(
                    CameraRegistration.newBuilder()
                            .setCameraId(id)
                            .setName(id)
                            .setLocation("local")
                            .setOwner("local stack")
                            .setAuthorizationRef("LOCAL-TEST (no real authorization)")
                            .setPurposes(TEST_PURPOSES)
                            // Local runs replay sample media: authorized from the epoch, for a day.
                            .setAuthorizedFrom(Instant.EPOCH)
                            .setAuthorizedUntil(now.plus(Duration.ofDays(1)))
                            .setStatus(CameraRegistrationStatus.ACTIVE)
                            .setUpdatedBy("local-stack")
                            .setUpdatedAt(now)
                            .setReason("local run")
                            .build());
        }
        return registerCameras(cams);
    }

    /** Runs an operation with the camera registry admin on the registry topic. */
    public <T> T withCameraAdmin(Function<CameraAdmin, T> operation) {
        try (KafkaCameraStore store = new KafkaCameraStore(config.kafka(), config.camerasTopic());
                AuditLog.Closeable audit =
                        AuditLog.open(config.auditSettings(), config.kafkaSettings())) {
            return operation.apply(new CameraAdmin(store, audit, Clock.systemUTC()));
        }
    }

    /**
     * Submits the job to a local MiniCluster at the configured parallelism. A bounded job stops
     * once it has read the frames topic up to the offsets at start.
     */
    public JobClient submitJob(boolean bounded) throws Exception {
        return submitJob(bounded, config);
    }

    /**
     * Submits the job restored from a savepoint or retained checkpoint ({@code chk-N}), with the
     * same settings otherwise.
     */
    public JobClient submitJobRestoredFrom(Path checkpoint) throws Exception {
        Map<String, Object> props = new HashMap<>(config.originals());
        props.put(JobSettings.RESTORE_FROM, checkpoint.toUri().toString());
        return submitJob(false, PipelineConfig.of(props));
    }

    /** The newest complete checkpoint ({@code chk-N} with its metadata) under a directory. */
    public static Optional<Path> latestCheckpoint(Path checkpointDir) throws IOException {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(checkpointDir, 2)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }

    private JobClient submitJob(boolean bounded, PipelineConfig config) throws Exception {
        Configuration flink = new Configuration();
        // Accumulators travel with heartbeats; a short interval lets callers follow progress.
        flink.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(1));
        if (config.prometheusPort() > 0) {
            flink.setString(
                    "metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            flink.setString("metrics.reporter.prom.port", String.valueOf(config.prometheusPort()));
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), flink);
        CameraRegistry cameras = WatchlistMatchingJob.kafkaCameras(config);
        try (AuditLog.Closeable audit =
                AuditLog.open(config.auditSettings(), config.kafkaSettings())) {
            audit.record(
                    WatchlistMatchingJob.jobStarted(
                            config,
                            cameras,
                            WatchlistMatchingJob.expectedFalseAlerts(config),
                            "system:local-stack"));
        }
        job =
                new WatchlistMatchingJob(
                                WatchlistMatchingJob.kafkaFrames(config, bounded),
                                cameras,
                                WatchlistMatchingJob.kafkaCameraUpdates(config, bounded),
                                WatchlistMatchingJob.kafkaAlerts(config),
                                WatchlistMatchingJob.kafkaDeadLetters(config),
                                WatchlistMatchingJob.kafkaAudit(config),
                                config)
                        .executeAsync(env);
        return job;
    }

    /**
     * A job accumulator (see FrameDecodeFunction, FaceEmbeddingFunction), 0 when not reported yet.
     */
    public static long counter(Map<String, Object> accumulators, String name) {
        Object v = accumulators.get(name);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    @Override
    public void close() {
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                LOG.debug("job already ended: {}", e.toString());
            }
        }
        if (broker != null) {
            broker.close();
        }
    }
}
