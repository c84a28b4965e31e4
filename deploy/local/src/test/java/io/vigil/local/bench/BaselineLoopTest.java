package io.vigil.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.job.PipelineConfig;
import io.vigil.schemas.Frame;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline loop on real frames with the default models: what the bench's ratio divides by. */
class BaselineLoopTest {
    @TempDir static Path work;
    private static FaceAnalyzer analyzer;
    private static PipelineConfig config;
    private static List<Frame> frames;

    @BeforeAll
    static void models() {
        config =
                PipelineConfig.load(
                        null,
                        Map.of(),
                        Map.of(WatchlistSettings.WATCHLIST_INDEX_DIR, work.toString()));
        analyzer =
                new FaceAnalyzer(
                        config.faceModels(), config.detectorSettings(), config.inferenceOptions());
        frames = PipelineBench.sample("franck.mp4", 3);
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @Test
    void onePassAnalysesEveryFrameAndItsFaces() {
        BaselineLoop.Stages s = loop(new float[0][]).run(frames);

        assertThat(s.frames).isEqualTo(3);
        assertThat(s.faces).isBetween(3L, 6L);
        assertThat(s.detect).isPositive();
        assertThat(s.embed).isPositive();
        assertThat(s.matches).as("an empty watchlist matches nothing").isZero();
    }

    @Test
    void aTimedRunCyclesThroughTheFramesUntilTheTimeIsUp() {
        float[][] self = {
            analyzer.analyze(BaselineLoop.decode(frames.get(0).getImage())).get(0).embedding()
        };
        long nanos = Duration.ofMillis(1500).toNanos();

        long t0 = System.nanoTime();
        BaselineLoop.Stages s = loop(self).runFor(frames, nanos);
        long wall = System.nanoTime() - t0;

        assertThat(wall).isGreaterThanOrEqualTo(nanos);
        assertThat(s.frames).as("more frames than one pass over three").isGreaterThan(3);
        assertThat(s.faces).isGreaterThanOrEqualTo(s.frames);
        assertThat(s.matches).as("the first frame's face is on the list").isPositive();
        assertThat(s.decode + s.detect + s.align + s.embed + s.search).isLessThanOrEqualTo(wall);
    }

    @Test
    void aTimedRunNeedsFrames() {
        assertThatThrownBy(() -> loop(new float[0][]).runFor(List.of(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no frames");
    }

    private static BaselineLoop loop(float[][] watchlist) {
        return new BaselineLoop(
                analyzer,
                watchlist,
                (float) config.matchThreshold(),
                config.detectorSettings().minFaceSize());
    }
}
