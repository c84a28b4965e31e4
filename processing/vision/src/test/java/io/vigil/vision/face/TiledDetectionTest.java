package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.vision.model.AssetPaths;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiled detection with the real default detector on a real face in a real 1080p street photo: the
 * small faces the whole-frame pass misses are found, and a face cut by a tile border is one
 * detection.
 */
class TiledDetectionTest {
    private static FaceAnalyzer tiled;
    private static FaceAnalyzer wholeFrame;

    @BeforeAll
    static void load() {
        FaceModels models = FaceModels.defaults(AssetPaths.root());
        tiled = new FaceAnalyzer(models, DetectorSettings.defaults(), InferenceOptions.cpu(1));
        wholeFrame =
                new FaceAnalyzer(
                        models,
                        DetectorSettings.defaults().withTileMinFace(0),
                        InferenceOptions.cpu(1));
    }

    @AfterAll
    static void close() {
        tiled.close();
        wholeFrame.close();
    }

    private static RgbImage frameWithFace(float cx, float cy, int height) throws IOException {
        return StreetFrames.withFace(wholeFrame, cx, cy, height);
    }

    private static List<Box> near(List<Box> boxes, float cx, float cy, float height) {
        return StreetFrames.near(boxes, cx, cy, height);
    }

    @Test
    void aSmallFaceInAnHdFrameIsFoundInTilesButNotByTheWholeFrame() throws IOException {
        RgbImage frame = frameWithFace(700, 600, 40);
        assertThat(near(wholeFrame.detect(frame), 700, 600, 40)).isEmpty();
        List<Box> found = near(tiled.detect(frame), 700, 600, 40);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).height()).isBetween(28f, 56f);
    }

    @Test
    void aFaceCutByATileBorderIsOneWholeDetection() throws IOException {
        TileLayout layout = tiled.layout(1920, 1080);
        float finest =
                layout.tiles().stream().map(TileLayout.Tile::scale).max(Float::compare).get();
        TileLayout.Tile t =
                layout.tiles().stream()
                        .filter(x -> x.scale() == finest && x.x() > 0 && x.y() > 0)
                        .findFirst()
                        .orElseThrow();
        // Across the tile's left edge, from a sliver to most of the face inside that tile.
        for (int height : new int[] {48, 110}) {
            for (float inside : new float[] {0.2f, 0.35f, 0.5f, 0.65f, 0.8f}) {
                float cx = t.x() + (inside - 0.5f) * height;
                float cy = t.y() + t.height() / 2f;
                RgbImage frame = frameWithFace(cx, cy, height);
                List<Box> found = near(tiled.detect(frame), cx, cy, height);
                assertThat(found)
                        .as("detections near the face %s inside the tile", inside)
                        .hasSize(1);
                Box b = found.get(0);
                assertThat(b.height()).isBetween(height * 0.7f, height * 1.4f);
                assertThat((b.x1() + b.x2()) / 2)
                        .isCloseTo(cx, org.assertj.core.data.Offset.offset(height / 4f));
            }
        }
    }

    @Test
    void tilesOutsideEveryRegionOfInterestAreNotSearched() throws IOException {
        RgbImage frame = frameWithFace(700, 600, 40);
        int tiles = tiled.layout(1920, 1080).tiles().size();
        long before = tiled.detectorRuns();
        assertThat(tiled.analyze(frame, QualityFilter.NONE, RegionFilter.WHOLE_FRAME).faces())
                .hasSize(1);
        assertThat(tiled.detectorRuns() - before).isEqualTo(1 + tiles);
        // A region in the top-left corner: the face is outside it, and so are most tiles.
        RegionFilter corner =
                new RegionFilter() {
                    @Override
                    public boolean contains(Box face, int frameWidth, int frameHeight) {
                        return mayContainFaceIn(face, frameWidth, frameHeight);
                    }

                    @Override
                    public boolean mayContainFaceIn(Box area, int frameWidth, int frameHeight) {
                        return area.x1() < 0.2f * frameWidth && area.y1() < 0.2f * frameHeight;
                    }
                };
        before = tiled.detectorRuns();
        FaceAnalyzer.FrameAnalysis a = tiled.analyze(frame, QualityFilter.NONE, corner);
        assertThat(a.faces()).isEmpty();
        long runs = tiled.detectorRuns() - before;
        assertThat(runs).isGreaterThan(1).isLessThan(1 + tiles / 3);
    }
}
