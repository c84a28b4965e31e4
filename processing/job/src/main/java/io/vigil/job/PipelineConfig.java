package io.vigil.job;

import io.vigil.common.audit.AuditSettings;
import io.vigil.common.config.Settings;
import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.index.MatchPolicy;
import io.vigil.index.spec.IndexSpec;
import io.vigil.job.track.AlertSettings;
import io.vigil.job.track.TrackingSettings;
import io.vigil.vision.face.DetectorSettings;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.face.InferenceOptions;
import io.vigil.vision.face.QualityFilter;
import io.vigil.vision.gate.FaceTracks;
import io.vigil.vision.gate.MotionGate;
import io.vigil.vision.model.FalseAlertEstimate;
import io.vigil.vision.model.ImpostorSample;
import io.vigil.watchlist.calibration.Calibration;
import io.vigil.watchlist.settings.MatchSettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Everything the matching job needs, composed of the per-concern sections it reads: Kafka and
 * topics, models, watchlist, match rule, job runtime, tracking and alerts. The sections parse the
 * same properties, so one file configures every component. {@link #load} and {@link #of} are the
 * explicit I/O step: they read the model manifests and the calibration file; the constructor does
 * no I/O. {@link #verifyModels} loads the models.
 */
public final class PipelineConfig {
    private final Map<String, Object> originals;
    private final KafkaSettings kafka;
    private final AuditSettings audit;
    private final ModelSettings modelSettings;
    private final WatchlistSettings watchlist;
    private final MatchSettings matchSettings;
    private final JobSettings job;
    private final AlertSettings alerts;
    private final GatingSettings gating;
    private final FaceModels models;
    private final MatchSettings.Resolved match;

    private PipelineConfig(
            Map<String, Object> originals,
            KafkaSettings kafka,
            AuditSettings audit,
            ModelSettings modelSettings,
            WatchlistSettings watchlist,
            MatchSettings matchSettings,
            JobSettings job,
            AlertSettings alerts,
            GatingSettings gating,
            FaceModels models,
            MatchSettings.Resolved match) {
        this.originals = originals;
        this.kafka = kafka;
        this.audit = audit;
        this.modelSettings = modelSettings;
        this.watchlist = watchlist;
        this.matchSettings = matchSettings;
        this.job = job;
        this.alerts = alerts;
        this.gating = gating;
        this.models = models;
        this.match = match;
    }

    /** Parses every section and resolves the models and the match rule they name. */
    public static PipelineConfig of(Map<?, ?> props) {
        ModelSettings modelSettings = new ModelSettings(props);
        MatchSettings matchSettings = new MatchSettings(props);
        KafkaSettings kafka = new KafkaSettings(props);
        WatchlistSettings watchlist = new WatchlistSettings(props);
        JobSettings job = new JobSettings(props);
        AlertSettings alerts = new AlertSettings(props);
        GatingSettings gating = new GatingSettings(props);
        // Checked together here, so a bad combination fails at load, naming the setting.
        gating.motion();
        gating.tracks(alerts.tracking().consensusFrames(), alerts.tracking().maxSpeed());
        FaceModels models = modelSettings.resolve();
        Map<String, Object> originals = new java.util.HashMap<>();
        props.forEach((k, v) -> originals.put(String.valueOf(k), v));
        return new PipelineConfig(
                Map.copyOf(originals),
                kafka,
                new AuditSettings(props),
                modelSettings,
                watchlist,
                matchSettings,
                job,
                alerts,
                gating,
                models,
                matchSettings.resolve(models.embedder()));
    }

    /** The sections the job reads, in the order it documents them. */
    public static final List<ConfigDef> SECTIONS =
            List.of(
                    KafkaSettings.CONFIG,
                    AuditSettings.CONFIG,
                    ModelSettings.CONFIG,
                    WatchlistSettings.CONFIG,
                    MatchSettings.CONFIG,
                    JobSettings.CONFIG,
                    AlertSettings.CONFIG,
                    GatingSettings.CONFIG);

    /**
     * Properties file (optional) overlaid with VIGIL_* environment variables and explicit
     * overrides.
     */
    public static PipelineConfig load(
            Path file, Map<String, String> env, Map<String, String> overrides) {
        return of(Settings.load(file, env, overrides, SECTIONS.toArray(ConfigDef[]::new)));
    }

    /** The properties every section was parsed from, for components started beside the job. */
    public Map<String, Object> originals() {
        return originals;
    }

    public KafkaSettings kafkaSettings() {
        return kafka;
    }

    /** Where the job's own audit events (its start) go. */
    public AuditSettings auditSettings() {
        return audit;
    }

    public ModelSettings modelSettings() {
        return modelSettings;
    }

    public WatchlistSettings watchlistSettings() {
        return watchlist;
    }

    public MatchSettings matchSettings() {
        return matchSettings;
    }

    public JobSettings jobSettings() {
        return job;
    }

    public AlertSettings alertSettings() {
        return alerts;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Bootstrap servers and the {@code vigil.kafka.client.*} settings of every Kafka client. */
    public KafkaConnection kafka() {
        return kafka.kafka();
    }

    public String topic(Topic t) {
        return kafka.topic(t);
    }

    public String framesTopic() {
        return kafka.topic(Topic.FRAMES);
    }

    public String alertsTopic() {
        return kafka.topic(Topic.ALERTS);
    }

    public String deadLetterTopic() {
        return kafka.topic(Topic.DEAD_LETTER);
    }

    public String cameraStatusTopic() {
        return kafka.topic(Topic.CAMERA_STATUS);
    }

    public String camerasTopic() {
        return kafka.topic(Topic.CAMERAS);
    }

    public String auditTopic() {
        return kafka.topic(Topic.AUDIT);
    }

    public String reviewsTopic() {
        return kafka.topic(Topic.REVIEWS);
    }

    public String groupId() {
        return job.groupId();
    }

    public int prometheusPort() {
        return job.prometheusPort();
    }

    public int frameMaxBytes() {
        return job.frameMaxBytes();
    }

    public int frameMaxPixels() {
        return job.frameMaxPixels();
    }

    public String embedderId() {
        return models.embedderId();
    }

    /** The threshold in force: explicit, else calibrated, else the model default. */
    public double matchThreshold() {
        return match.threshold();
    }

    /** The calibration in force, if {@code vigil.match.calibration.file} is set. */
    public Optional<Calibration> calibration() {
        return match.calibration();
    }

    public QualityFilter matchQualityGate() {
        return matchSettings.qualityGate();
    }

    /**
     * The impostor scores the threshold was calibrated on: the calibration file's, else the
     * embedder manifest's; empty when neither has them.
     */
    public Optional<ImpostorSample> impostorSample() {
        return match.impostors();
    }

    /**
     * False alerts per camera-hour expected for a watchlist of {@code watchlistFaces} faces at the
     * threshold and consensus rule in force; empty when no impostor sample covers the threshold.
     */
    public Optional<FalseAlertEstimate.Result> falseAlertEstimate(long watchlistFaces) {
        return match.impostors()
                .flatMap(s -> alerts.falseAlertEstimate(s, match.threshold(), watchlistFaces));
    }

    public double maxExpectedFalseAlertsPerHour() {
        return alerts.maxExpectedFalseAlertsPerHour();
    }

    public TrackingSettings trackingSettings() {
        return alerts.tracking();
    }

    /** Where the detector may skip a camera's unchanged scene. */
    public MotionGate.Settings motionGate() {
        return gating.motion();
    }

    /** When a face continuing a track is embedded again. */
    public FaceTracks.Settings faceTracks() {
        return gating.tracks(alerts.tracking().consensusFrames(), alerts.tracking().maxSpeed());
    }

    public long checkpointIntervalMs() {
        return job.checkpointIntervalMs();
    }

    /** The checkpoint location as a URI; empty for the JobManager's memory. */
    public String checkpointDir() {
        return job.checkpointDir();
    }

    public boolean retainCheckpointOnCancel() {
        return job.retainCheckpointOnCancel();
    }

    public String stateBackend() {
        return job.stateBackend();
    }

    public boolean exactlyOnce() {
        return job.exactlyOnce();
    }

    public int kafkaTransactionTimeoutMs() {
        return job.kafkaTransactionTimeoutMs();
    }

    public String transactionalIdPrefix() {
        return job.transactionalIdPrefix();
    }

    /** Savepoint or retained checkpoint to start from; empty to start fresh. */
    public String restoreFrom() {
        return job.restoreFrom();
    }

    public int parallelism() {
        return job.parallelism();
    }

    public long maxOutOfOrdernessMs() {
        return job.maxOutOfOrdernessMs();
    }

    public Path watchlistIndexDir() {
        return watchlist.indexDir();
    }

    public IndexSpec.Backend watchlistBackend() {
        return watchlist.backend();
    }

    /** The configured watchlist index (Lucene directory or Milvus collection). */
    public IndexSpec watchlistIndex() {
        return watchlist.index(models.embedder().embeddingDimension());
    }

    /** The detector, landmark model and embedder their settings name. */
    public FaceModels faceModels() {
        return models;
    }

    /** Loads each configured model once and closes it; errors name the setting. */
    public void verifyModels() {
        modelSettings.verify(models);
    }

    public DetectorSettings detectorSettings() {
        return modelSettings.detectorSettings();
    }

    public InferenceOptions inferenceOptions() {
        return modelSettings.inferenceOptions();
    }

    public MatchPolicy matchPolicy() {
        return match.policy();
    }
}
