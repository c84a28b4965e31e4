package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class UltraFaceDecoderTest {

    @Test
    void scalesToPixelsSquaresOnHeightAndDropsLowScores() {
        // anchor 0: face at x 0.25..0.5, y 0.25..0.75 of a 400x200 frame, score 0.9
        // anchor 1: below threshold
        float[] scores = {0.1f, 0.9f, 0.8f, 0.2f};
        float[] boxes = {0.25f, 0.25f, 0.5f, 0.75f, 0f, 0f, 1f, 1f};
        List<Box> out = new UltraFaceDecoder(0.7f, 0.4f, 10).decode(scores, boxes, 400, 200);
        assertThat(out).hasSize(1);
        Box b = out.get(0);
        // pixels: x 100..200, y 50..150 -> side 100 centred at (150, 100)
        assertThat(b.x1()).isCloseTo(100f, offset(1e-3f));
        assertThat(b.x2()).isCloseTo(200f, offset(1e-3f));
        assertThat(b.y1()).isCloseTo(50f, offset(1e-3f));
        assertThat(b.y2()).isCloseTo(150f, offset(1e-3f));
        assertThat(b.score()).isEqualTo(0.9f);
    }

    @Test
    void clipsSquaredBoxToFrame() {
        Box b =
                UltraFaceDecoder.toSquarePixels(
                        new float[] {0.0f, 0.0f, 0.1f, 1.0f}, 0, 1f, 100, 100);
        assertThat(b.x1()).isZero();
        assertThat(b.y1()).isZero();
        assertThat(b.x2()).isEqualTo(55f);
        assertThat(b.y2()).isEqualTo(99f);
    }

    @Test
    void rejectsMismatchedOutputs() {
        assertThatThrownBy(
                        () ->
                                new UltraFaceDecoder(0.5f, 0.4f, 1)
                                        .decode(new float[4], new float[4], 10, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anchors");
    }
}
