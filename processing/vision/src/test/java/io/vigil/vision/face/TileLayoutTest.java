package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TileLayoutTest {
    /** UltraFace: 320x240 input, faces of 24 input pixels found reliably. */
    private static final int IN_W = 320;

    private static final int IN_H = 240;
    private static final float DET_MIN = 24;

    @Test
    void smallFramesNeedNoTiles() {
        TileLayout demo = TileLayout.plan(360, 288, IN_W, IN_H, DET_MIN, 32);
        assertThat(demo.tiles()).isEmpty();
        assertThat(demo.runs()).isEqualTo(1);
        assertThat(demo.wholeFrameMinFace()).isEqualTo(29);
    }

    @Test
    void tilingOffMeansTheWholeFrameOnly() {
        TileLayout off = TileLayout.plan(1920, 1080, IN_W, IN_H, DET_MIN, 0);
        assertThat(off.tiles()).isEmpty();
        assertThat(off.wholeFrameMinFace()).isEqualTo(144);
    }

    @Test
    void everyFaceFromTheSmallestUpToTheWholeFramesReachLiesWholeInATileThatSeesIt() {
        for (int[] frame : new int[][] {{1280, 720}, {1920, 1080}, {3840, 2160}, {2592, 1944}}) {
            for (int minFace : new int[] {24, 32, 48}) {
                TileLayout layout =
                        TileLayout.plan(frame[0], frame[1], IN_W, IN_H, DET_MIN, minFace);
                Random random = new Random(frame[0] * 31L + minFace);
                for (int i = 0; i < 20_000; i++) {
                    int side = minFace + random.nextInt(layout.wholeFrameMinFace() - minFace + 1);
                    float x = random.nextFloat() * (frame[0] - side);
                    float y = random.nextFloat() * (frame[1] - side);
                    Box face = new Box(x, y, x + side, y + side, 1f);
                    assertThat(seenWhole(layout, face, frame[0], frame[1]))
                            .as(
                                    "%dx%d min %d: face %s in no tile that sees it",
                                    frame[0], frame[1], minFace, face)
                            .isTrue();
                }
            }
        }
    }

    private static boolean seenWhole(TileLayout layout, Box face, int w, int h) {
        for (TileLayout.Tile t : layout.tiles()) {
            boolean inside =
                    face.x1() >= t.x()
                            && face.y1() >= t.y()
                            && face.x2() <= t.x() + t.width()
                            && face.y2() <= t.y() + t.height();
            if (inside
                    && face.height() * t.scale() >= DET_MIN - 1e-3
                    && face.height() <= t.maxFace()
                    && !TileLayout.cutByInteriorEdge(face, t, w, h, 0f)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void tilesNeverEnlargeTheFrameAndKeepTheDetectorsAspect() {
        TileLayout layout = TileLayout.plan(1920, 1080, IN_W, IN_H, DET_MIN, 16);
        assertThat(layout.tiles()).isNotEmpty();
        for (TileLayout.Tile t : layout.tiles()) {
            assertThat(t.scale()).isLessThanOrEqualTo(1f);
            assertThat((float) t.width() / t.height()).isCloseTo(320f / 240, within(0.01f));
            assertThat(t.x() + t.width()).isLessThanOrEqualTo(1920);
            assertThat(t.y() + t.height()).isLessThanOrEqualTo(1080);
        }
    }

    @Test
    void aCoarserLevelIsAddedWhereItSavesRuns() {
        TileLayout uhd = TileLayout.plan(3840, 2160, IN_W, IN_H, DET_MIN, 32);
        long scales = uhd.tiles().stream().map(TileLayout.Tile::scale).distinct().count();
        assertThat(scales).isGreaterThan(1);
        TileLayout hd = TileLayout.plan(1920, 1080, IN_W, IN_H, DET_MIN, 32);
        assertThat(uhd.runs()).isGreaterThan(hd.runs());
    }

    @Test
    void aBoxAtAnInteriorEdgeIsCutButOneAtTheFrameEdgeIsNot() {
        TileLayout.Tile t = new TileLayout.Tile(400, 0, 427, 320, 0.75f, 100);
        assertThat(TileLayout.cutByInteriorEdge(new Box(400, 10, 440, 50, 1), t, 1920, 1080, 1))
                .isTrue();
        assertThat(TileLayout.cutByInteriorEdge(new Box(420, 0, 460, 40, 1), t, 1920, 1080, 1))
                .isFalse();
        assertThat(TileLayout.cutByInteriorEdge(new Box(420, 270, 460, 319, 1), t, 1920, 1080, 1))
                .isTrue();
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> TileLayout.plan(0, 1080, IN_W, IN_H, DET_MIN, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TileLayout.plan(1920, 1080, IN_W, IN_H, 0, 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static org.assertj.core.data.Offset<Float> within(float f) {
        return org.assertj.core.data.Offset.offset(f);
    }
}
