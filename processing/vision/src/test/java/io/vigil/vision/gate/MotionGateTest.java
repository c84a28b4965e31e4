package io.vigil.vision.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.MotionPreview;
import io.vigil.vision.face.Box;
import io.vigil.vision.face.FaceCrops;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.face.StreetFrames;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The motion gate on a real 1080p street photo with sensor noise and lighting change. */
class MotionGateTest {
    private static RgbImage street;

    @BeforeAll
    static void load() throws IOException {
        street = StreetFrames.street();
    }

    /** The street with a 40x50 patch of its own pixels from elsewhere pasted at (x, y). */
    private static RgbImage withPatch(RgbImage img, int x, int y) {
        byte[] rgb = img.rgb().clone();
        int w = img.width();
        for (int dy = 0; dy < 50; dy++) {
            for (int dx = 0; dx < 40; dx++) {
                int from = ((100 + dy) * w + 1500 + dx) * 3;
                int to = ((y + dy) * w + x + dx) * 3;
                System.arraycopy(img.rgb(), from, rgb, to, 3);
            }
        }
        return new RgbImage(w, img.height(), rgb);
    }

    private static Box around(int x, int y, int size) {
        return new Box(x, y, x + size, y + size, 0f);
    }

    @Test
    void sensorNoiseAndLightingDriftAreNotMotion() {
        MotionGate gate = new MotionGate(MotionGate.Settings.defaults());
        assertThat(gate.observe(StreetFrames.lit(street, 1f, 0f, 4f, 1), 0).fullPass()).isTrue();
        // Half a second apart at 2 fps: noise every frame, brightness drifting, then a 6 %
        // exposure step (auto-exposure) with an offset.
        float[][] light = {{1.0f, 1f}, {1.01f, 2f}, {1.02f, 3f}, {1.08f, -4f}, {1.08f, -2f}};
        for (int i = 0; i < light.length; i++) {
            MotionGate.Activity a =
                    gate.observe(
                            StreetFrames.lit(street, light[i][0], light[i][1], 4f, 10 + i),
                            500L * (i + 1));
            assertThat(a.fullPass()).isFalse();
            assertThat(a.any()).as("frame %d", i).isFalse();
            assertThat(a.mayContainFaceIn(around(0, 0, 1920), 1920, 1080)).isFalse();
        }
    }

    @Test
    void aMovingPersonMakesOnlyTheirPartOfTheFrameActive() {
        MotionGate gate = new MotionGate(MotionGate.Settings.defaults());
        gate.observe(StreetFrames.lit(withPatch(street, 700, 600), 1f, 0f, 4f, 1), 0);
        MotionGate.Activity a =
                gate.observe(StreetFrames.lit(withPatch(street, 760, 610), 1f, 0f, 4f, 2), 500);
        assertThat(a.fullPass()).isFalse();
        assertThat(a.any()).isTrue();
        // Where it was and where it is now, not the far side of the street.
        assertThat(a.mayContainFaceIn(around(700, 600, 40), 1920, 1080)).isTrue();
        assertThat(a.mayContainFaceIn(around(760, 610, 40), 1920, 1080)).isTrue();
        assertThat(a.mayContainFaceIn(around(1500, 200, 300), 1920, 1080)).isFalse();
        assertThat(a.mayContainFaceIn(around(100, 700, 300), 1920, 1080)).isFalse();
        assertThat(a.activeShare()).isLessThan(0.02);
        assertThat(a.contains(around(0, 0, 10), 1920, 1080)).isTrue();
    }

    @Test
    void theAreaOfAFaceFoundStaysActiveWhileItStandsStill() {
        MotionGate gate = new MotionGate(MotionGate.Settings.defaults());
        RgbImage still = withPatch(street, 700, 600);
        gate.observe(StreetFrames.lit(still, 1f, 0f, 4f, 1), 0);
        gate.found(List.of(around(700, 600, 40)));
        MotionGate.Activity a = gate.observe(StreetFrames.lit(still, 1f, 0f, 4f, 2), 500);
        assertThat(a.mayContainFaceIn(around(700, 600, 40), 1920, 1080)).isTrue();
        assertThat(a.mayContainFaceIn(around(1500, 200, 300), 1920, 1080)).isFalse();
        gate.found(List.of());
        assertThat(gate.observe(StreetFrames.lit(still, 1f, 0f, 4f, 3), 1000).any()).isFalse();
    }

    @Test
    void theWholeFrameIsSearchedAtTheIntervalOnANewSizeAndWhenTimeRunsBackwards() {
        MotionGate gate = new MotionGate(new MotionGate.Settings(32, 10, 2, 2000));
        assertThat(gate.observe(street, 10_000).fullPass()).isTrue();
        assertThat(gate.observe(street, 10_500).fullPass()).isFalse();
        assertThat(gate.observe(street, 11_999).fullPass()).isFalse();
        assertThat(gate.observe(street, 12_000).fullPass()).isTrue();
        assertThat(gate.observe(street, 12_500).fullPass()).isFalse();
        assertThat(gate.observe(street, 9_000).fullPass()).isTrue();
        RgbImage small = new RgbImage(640, 480, new byte[640 * 480 * 3]);
        assertThat(gate.observe(small, 9_500).fullPass()).isTrue();
        assertThat(gate.observe(small, 10_000).fullPass()).isFalse();
    }

    @Test
    void anIntervalOfZeroSearchesEveryFrameWhole() {
        MotionGate gate = new MotionGate(new MotionGate.Settings(32, 10, 2, 0));
        assertThat(MotionGate.Settings.defaults().enabled()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(gate.observe(street, 500L * i).fullPass()).isTrue();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new MotionGate.Settings(30, 10, 2, 0))
                .hasMessageContaining("cellPx");
        assertThatThrownBy(() -> new MotionGate.Settings(32, 0, 2, 0))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new MotionGate.Settings(32, 10, 17, 0))
                .hasMessageContaining("minBlocks");
        assertThatThrownBy(() -> new MotionGate.Settings(32, 10, 2, -1))
                .hasMessageContaining("fullPassIntervalMs");
    }

    @Test
    void theProducersPreviewOfTheEncodedPixelsGatesAsTheDecodedFrameDoes() throws IOException {
        // The producer computes the preview from the pixels it encodes (blue-green-red, as
        // FFmpeg hands them over); the job sees the JPEG. Both must see the same motion.
        MotionGate fromPixels = new MotionGate(MotionGate.Settings.defaults());
        MotionGate fromPreview = new MotionGate(MotionGate.Settings.defaults());
        int[][] at = {{700, 600}, {700, 600}, {760, 610}, {820, 620}};
        for (int i = 0; i < at.length; i++) {
            RgbImage source =
                    StreetFrames.lit(withPatch(street, at[i][0], at[i][1]), 1f, 0f, 4f, i);
            byte[] bgr = source.rgb().clone();
            for (int p = 0; p < bgr.length; p += 3) {
                byte r = bgr[p];
                bgr[p] = bgr[p + 2];
                bgr[p + 2] = r;
            }
            byte[] preview = MotionPreview.of(bgr, source.width(), source.height(), true);
            RgbImage decoded = RgbImage.decode(FaceCrops.jpeg(source, 0.85f));
            MotionGate.Activity a = fromPixels.observe(decoded, 500L * i);
            MotionGate.Activity b =
                    fromPreview.observe(preview, source.width(), source.height(), 500L * i);
            assertThat(b.fullPass()).isEqualTo(a.fullPass()).isEqualTo(i == 0);
            assertThat(b.any()).as("frame %d", i).isEqualTo(a.any()).isEqualTo(i != 1);
            assertThat(b.activeBoxes()).as("frame %d", i).isEqualTo(a.activeBoxes());
        }
        assertThatThrownBy(() -> fromPreview.observe(new byte[10], 1920, 1080, 5000))
                .hasMessageContaining(
                        "a motion preview of a 1920x1080 frame has 32400 bytes, not 10");
    }
}
