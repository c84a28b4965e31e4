package io.vigil.processing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.processing.job.WatchlistMatchingJob;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put(PipelineConfig.CAMERAS_AUTHORIZED, "cam-1,cam-2");
        m.put(PipelineConfig.WATCHLIST_INDEX_DIR, "/tmp/index");
        return m;
    }

    @Test
    void defaultsAreTheCalibratedOnes() {
        PipelineConfig c = new PipelineConfig(minimal());
        assertThat(c.matchThreshold()).isEqualTo(PipelineConfig.DEFAULT_MODEL_THRESHOLD);
        assertThat(c.matchPolicy().floor()).isEqualTo((float) PipelineConfig.DEFAULT_MODEL_FLOOR);
        assertThat(c.authorizedCameras()).containsExactlyInAnyOrder("cam-1", "cam-2");
        assertThat(c.faceModels().detectorSha256()).isNotNull();
    }

    @Test
    void thresholdUnderTheModelFloorIsRejectedNamingTheSetting() {
        Map<String, String> m = minimal();
        m.put(PipelineConfig.MATCH_THRESHOLD, "0.2");
        assertThatThrownBy(() -> new PipelineConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vigil.match.threshold")
                .hasMessageContaining("floor");
    }

    @Test
    void missingCamerasAndBadValuesNameTheSetting() {
        Map<String, String> m = minimal();
        m.remove(PipelineConfig.CAMERAS_AUTHORIZED);
        PipelineConfig noCameras = new PipelineConfig(m);
        assertThatThrownBy(() -> new WatchlistMatchingJob(null, null, null, noCameras))
                .hasMessageContaining("vigil.cameras.authorized");
        Map<String, String> m2 = minimal();
        m2.put(PipelineConfig.PARALLELISM, "0");
        assertThatThrownBy(() -> new PipelineConfig(m2))
                .hasMessageContaining("vigil.job.parallelism");
    }

    @Test
    void environmentOverridesFileAndExplicitOverridesWin() {
        PipelineConfig c =
                PipelineConfig.load(
                        null,
                        Map.of(
                                "VIGIL_CAMERAS_AUTHORIZED",
                                "env-cam",
                                "VIGIL_WATCHLIST_INDEX_DIR",
                                "/x",
                                "VIGIL_MATCH_THRESHOLD",
                                "0.6"),
                        Map.of(PipelineConfig.MATCH_THRESHOLD, "0.7"));
        assertThat(c.authorizedCameras()).containsExactly("env-cam");
        assertThat(c.matchThreshold()).isEqualTo(0.7);
    }

    @Test
    void userSuppliedModelPathsAreNotHashPinned() {
        Map<String, String> m = minimal();
        m.put(PipelineConfig.MODEL_EMBEDDER, "/models/mine.onnx");
        m.put(PipelineConfig.MODEL_EMBEDDER_ID, "my-arcface-1");
        m.put(PipelineConfig.MATCH_THRESHOLD, "0.3");
        PipelineConfig c = new PipelineConfig(m);
        assertThat(c.faceModels().embedderPath()).isEqualTo("/models/mine.onnx");
        assertThat(c.faceModels().embedderSha256()).isNull();
        assertThat(c.faceModels().detectorSha256()).isNotNull();
        assertThat(c.matchPolicy().modelId()).isEqualTo("my-arcface-1");
    }
}
