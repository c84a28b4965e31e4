package io.vigil.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.index.lucene.LuceneSearch;
import io.vigil.job.track.AlertSettings;
import io.vigil.job.track.TrackingSettings;
import io.vigil.vision.face.FaceModels;
import io.vigil.vision.model.FalseAlertEstimate;
import io.vigil.vision.model.ModelCatalog;
import io.vigil.vision.model.ModelManifest;
import io.vigil.vision.model.TestManifests;
import io.vigil.watchlist.calibration.Calibration;
import io.vigil.watchlist.camera.CameraRegistry;
import io.vigil.watchlist.settings.MatchSettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(WatchlistSettings.WATCHLIST_INDEX_DIR, "/tmp/index");
        return m;
    }

    @Test
    void defaultsAreTheCalibratedOnes() {
        PipelineConfig c = PipelineConfig.of(minimal());
        ModelManifest.Threshold t = ModelCatalog.builtIn(ModelCatalog.DEFAULT_EMBEDDER).threshold();
        assertThat(c.matchThreshold()).isEqualTo(t.value());
        assertThat(c.matchPolicy().floor()).isEqualTo((float) t.floor());
        assertThat(c.embedderId()).isEqualTo(ModelCatalog.DEFAULT_EMBEDDER);
        assertThat(c.auditSettings().toKafka()).isTrue();
        KafkaSettings k = c.kafkaSettings();
        assertThat(k.retentionMs(Topic.FRAMES)).isLessThan(k.retentionMs(Topic.ALERTS));
        assertThat(k.retentionMs(Topic.AUDIT)).isEqualTo(-1L);
        assertThat(c.faceModels().detector().id()).isEqualTo(ModelCatalog.DEFAULT_DETECTOR);
    }

    @Test
    void thresholdUnderTheModelFloorIsRejectedNamingTheSetting() {
        Map<String, String> m = minimal();
        m.put(MatchSettings.MATCH_THRESHOLD, "0.2");
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vigil.match.threshold")
                .hasMessageContaining("floor");
    }

    @Test
    void luceneSearchSettingsAreTypedAndValidated() {
        Map<String, String> exact = minimal();
        exact.put(WatchlistSettings.WATCHLIST_SEARCH_EXACT, "true");
        exact.put(WatchlistSettings.WATCHLIST_SEARCH_THREADS, "2");
        assertThat(PipelineConfig.of(exact).watchlistIndex().luceneSearch())
                .isEqualTo(new LuceneSearch(true, 2));
        assertThat(PipelineConfig.of(minimal()).watchlistIndex().luceneSearch())
                .isEqualTo(LuceneSearch.DEFAULT);
        Map<String, String> threads = minimal();
        threads.put(WatchlistSettings.WATCHLIST_SEARCH_THREADS, "0");
        assertThatThrownBy(() -> PipelineConfig.of(threads))
                .hasMessageContaining(WatchlistSettings.WATCHLIST_SEARCH_THREADS);
    }

    @Test
    void gatingSettingsAreTypedAndCheckedAgainstTheAlertRule() {
        PipelineConfig c = PipelineConfig.of(minimal());
        assertThat(c.motionGate()).isEqualTo(io.vigil.vision.gate.MotionGate.Settings.defaults());
        assertThat(c.faceTracks()).isEqualTo(io.vigil.vision.gate.FaceTracks.Settings.defaults());
        Map<String, String> few = minimal();
        few.put(GatingSettings.DECIDE_FACES, "2");
        few.put(io.vigil.job.track.AlertSettings.ALERT_CONSENSUS_FRAMES, "3");
        assertThatThrownBy(() -> PipelineConfig.of(few))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(GatingSettings.DECIDE_FACES)
                .hasMessageContaining("vigil.alert.consensus.frames");
        few.put(GatingSettings.REEMBED_INTERVAL_MS, "0");
        assertThat(PipelineConfig.of(few).faceTracks().enabled()).isFalse();
        Map<String, String> cells = minimal();
        cells.put(GatingSettings.MOTION_CELL_PX, "30");
        assertThatThrownBy(() -> PipelineConfig.of(cells))
                .hasMessageContaining(GatingSettings.MOTION_CELL_PX);
        Map<String, String> blocks = minimal();
        blocks.put(GatingSettings.MOTION_MIN_BLOCKS, "17");
        assertThatThrownBy(() -> PipelineConfig.of(blocks))
                .hasMessageContaining(GatingSettings.MOTION_MIN_BLOCKS);
    }

    @Test
    void badValuesNameTheSetting() {
        Map<String, String> m = minimal();
        m.put(AuditSettings.AUDIT_SINK, "stdout");
        assertThatThrownBy(() -> PipelineConfig.of(m)).hasMessageContaining("vigil.audit.sink");
        Map<String, String> m2 = minimal();
        m2.put(JobSettings.PARALLELISM, "0");
        assertThatThrownBy(() -> PipelineConfig.of(m2))
                .hasMessageContaining("vigil.job.parallelism");
    }

    @Test
    void environmentOverridesFileAndExplicitOverridesWin() {
        PipelineConfig c =
                PipelineConfig.load(
                        null,
                        Map.of(
                                "VIGIL_TOPIC_AUDIT",
                                "env.audit",
                                "VIGIL_WATCHLIST_INDEX_DIR",
                                "/x",
                                "VIGIL_MATCH_THRESHOLD",
                                "0.95"),
                        Map.of(MatchSettings.MATCH_THRESHOLD, "0.96"));
        assertThat(c.auditTopic()).isEqualTo("env.audit");
        assertThat(c.matchThreshold()).isEqualTo(0.96);
    }

    static WatchlistMatchingJob job(PipelineConfig c) {
        return new WatchlistMatchingJob(null, CameraRegistry.EMPTY, null, null, null, null, c);
    }

    static Path calibration(Path dir, String model, double threshold, double floor)
            throws Exception {
        Path f = dir.resolve(model + ".properties");
        new Calibration(
                        model,
                        1e-3,
                        threshold,
                        0,
                        0.1,
                        1e-2,
                        floor,
                        40,
                        2000,
                        12,
                        50,
                        "test",
                        new io.vigil.vision.model.ImpostorSample(
                                2000, floor - 0.1, new double[] {floor}))
                .store(f);
        return f;
    }

    @Test
    void falseAlertsAreEstimatedFromTheImpostorSampleAndGrowWithTheWatchlist(@TempDir Path tmp)
            throws Exception {
        PipelineConfig builtIn = PipelineConfig.load(null, Map.of(), minimal());
        FalseAlertEstimate.Result none = builtIn.falseAlertEstimate(100).orElseThrow();
        // No impostor of the built-in sample reaches the threshold: only the upper bound is left.
        assertThat(none.falseAlertsPerCameraHour()).isZero();
        assertThat(none.falseAlertsPerCameraHourUpper95()).isPositive();
        assertThat(none.impostorPairs()).isEqualTo(1053);

        Map<String, String> m = minimal();
        m.put(
                MatchSettings.MATCH_CALIBRATION_FILE,
                calibration(tmp, ModelCatalog.DEFAULT_EMBEDDER, 0.45, 0.40).toString());
        m.put(AlertSettings.ALERT_EXPECTED_PEOPLE_PER_HOUR, "1000");
        PipelineConfig calibrated = PipelineConfig.load(null, Map.of(), m);
        FalseAlertEstimate.Result small = calibrated.falseAlertEstimate(100).orElseThrow();
        FalseAlertEstimate.Result large = calibrated.falseAlertEstimate(10_000).orElseThrow();
        // One impostor pair in 2000 at or above 0.45 (the tail holds 0.40 only): FMR 0.
        assertThat(small.fmr()).isZero();
        assertThat(large.falseAlertsPerCameraHourUpper95())
                .isGreaterThan(small.falseAlertsPerCameraHourUpper95());
        assertThat(small.load().peoplePerCameraHour()).isEqualTo(1000);
        assertThat(small.load().consensus())
                .isEqualTo(calibrated.trackingSettings().consensusFrames());
    }

    @Test
    void aCustomEmbeddersManifestFloorAndACalibrationApply(@TempDir Path tmp) throws Exception {
        Map<String, String> m = minimal();
        m.put(
                ModelSettings.MODEL_EMBEDDER,
                TestManifests.write(
                                tmp,
                                ModelCatalog.DEFAULT_EMBEDDER,
                                Map.of(
                                        "id",
                                        "my-arcface-1",
                                        "threshold",
                                        Map.of("value", 0.35, "floor", 0.3, "calibratedOn", "x")))
                        .toString());
        PipelineConfig plain = PipelineConfig.of(m);
        assertThat(plain.embedderId()).isEqualTo("my-arcface-1");
        assertThat(plain.matchThreshold()).isEqualTo(0.35, offset(1e-9));

        m.put(
                MatchSettings.MATCH_CALIBRATION_FILE,
                calibration(tmp, "my-arcface-1", 0.31, 0.22).toString());
        PipelineConfig c = PipelineConfig.of(m);
        assertThat(c.matchThreshold()).isEqualTo(0.31, offset(1e-9));
        assertThat(c.matchPolicy().floor()).isEqualTo(0.3f);

        m.put(MatchSettings.MATCH_THRESHOLD, "0.2");
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .hasMessageContaining(MatchSettings.MATCH_THRESHOLD)
                .hasMessageContaining("floor 0.3");
        m.put(MatchSettings.MATCH_THRESHOLD, "0.4"); // explicit, above the floor: wins (WARN)
        assertThat(PipelineConfig.of(m).matchThreshold()).isEqualTo(0.4);
    }

    @Test
    void aCalibrationOfAnotherModelOrUnreadableIsRejectedNamingTheSetting(@TempDir Path tmp)
            throws Exception {
        Map<String, String> m = minimal();
        m.put(MatchSettings.MATCH_CALIBRATION_FILE, calibration(tmp, "other", 0.5, 0.4).toString());
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .hasMessageContaining(MatchSettings.MATCH_CALIBRATION_FILE)
                .hasMessageContaining("other");
        m.put(MatchSettings.MATCH_CALIBRATION_FILE, tmp.resolve("missing").toString());
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .hasMessageContaining(MatchSettings.MATCH_CALIBRATION_FILE);
    }

    @Test
    void theDefaultModelsBuiltInFloorHoldsEvenUnderALowerCalibration(@TempDir Path tmp)
            throws Exception {
        Map<String, String> m = minimal();
        m.put(
                MatchSettings.MATCH_CALIBRATION_FILE,
                calibration(
                                tmp,
                                PipelineConfig.load(null, Map.of(), minimal()).embedderId(),
                                0.3,
                                0.2)
                        .toString());
        PipelineConfig c = PipelineConfig.of(m);
        double floor = ModelCatalog.builtIn(ModelCatalog.DEFAULT_EMBEDDER).threshold().floor();
        assertThat(c.matchPolicy().floor()).isEqualTo((float) floor);
        assertThat(c.matchThreshold()).isEqualTo(floor);
    }

    @Test
    void trackingSettingsAreCheckedTogether() {
        Map<String, String> m = minimal();
        m.put(AlertSettings.ALERT_SUPPRESSION_MS, "1000");
        m.put(AlertSettings.TRACK_TIMEOUT_MS, "3000");
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AlertSettings.ALERT_SUPPRESSION_MS);
        assertThat(PipelineConfig.of(minimal()).trackingSettings())
                .isEqualTo(TrackingSettings.defaults());
    }

    @Test
    void aUserManifestsFileIsNextToItAndStillHashPinned(@TempDir Path tmp) throws Exception {
        Map<String, String> m = minimal();
        m.put(
                ModelSettings.MODEL_DETECTOR,
                TestManifests.write(
                                tmp,
                                ModelCatalog.DEFAULT_DETECTOR,
                                Map.of("id", "my-detector", "file", "mine.onnx"))
                        .toString());
        PipelineConfig c = PipelineConfig.of(m);
        FaceModels fm = c.faceModels();
        assertThat(fm.path(fm.detector())).isEqualTo(tmp.resolve("mine.onnx"));
        assertThat(fm.detector().sha256()).hasSize(64);
        assertThatThrownBy(c::verifyModels)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ModelSettings.MODEL_DETECTOR)
                .hasMessageContaining("mine.onnx");

        m.put(ModelSettings.MODEL_DETECTOR, "no-such-model");
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ModelSettings.MODEL_DETECTOR)
                .hasMessageContaining("no-such-model");

        m.put(ModelSettings.MODEL_DETECTOR, ModelCatalog.DEFAULT_EMBEDDER);
        assertThatThrownBy(() -> PipelineConfig.of(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a detector");
    }

    @Test
    void aModelThatCannotLoadFailsTheJobAtBuildTimeNamingTheSetting(@TempDir Path tmp)
            throws Exception {
        Map<String, String> m = minimal();
        m.put(
                ModelSettings.MODEL_EMBEDDER,
                TestManifests.write(
                                tmp,
                                "faceplugin-fr_feature-0.0.1",
                                Map.of("id", "missing", "file", "missing.onnx"))
                        .toString());
        PipelineConfig missing = PipelineConfig.of(m);
        assertThatThrownBy(() -> job(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ModelSettings.MODEL_EMBEDDER)
                .hasMessageContaining("missing.onnx");

        Path garbage = tmp.resolve("garbage.onnx");
        byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8};
        java.nio.file.Files.write(garbage, bytes);
        String sha =
                java.util.HexFormat.of()
                        .formatHex(
                                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        m.put(
                ModelSettings.MODEL_EMBEDDER,
                TestManifests.write(
                                tmp,
                                "faceplugin-fr_feature-0.0.1",
                                Map.of("id", "garbage", "file", "garbage.onnx", "sha256", sha))
                        .toString());
        PipelineConfig corrupt = PipelineConfig.of(m);
        assertThatThrownBy(corrupt::verifyModels)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(ModelSettings.MODEL_EMBEDDER)
                .hasMessageContaining("cannot load ONNX model");

        PipelineConfig.of(minimal()).verifyModels(); // the defaults load
    }
}
