package io.vigil.processing.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast resampling paths give exactly the values of the per-channel reference. */
class SamplingTest {
    static RgbImage random(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    @Test
    void sample3EqualsSampleIncludingTheEdges() {
        RgbImage img = random(37, 23, 1);
        Random r = new Random(2);
        float[] px = new float[3];
        for (int i = 0; i < 2000; i++) {
            float x = r.nextFloat() * 45 - 4;
            float y = r.nextFloat() * 31 - 4;
            img.sample3(x, y, px);
            for (int c = 0; c < 3; c++) {
                assertThat(px[c]).isEqualTo(img.sample(x, y, c));
            }
        }
    }

    @Test
    void modelInputsEqualThePerPixelReference() {
        RgbImage img = random(64, 48, 3);
        int outW = 29;
        int outH = 17;
        float rx = -3.5f;
        float ry = 2.25f;
        float rw = 70f;
        float rh = 40f;
        FloatBuffer fast = FloatBuffer.allocate(3 * outW * outH);
        FaceAnalyzer.fillNormalizedRgb(img, rx, ry, rw, rh, outW, outH, fast);
        int plane = outW * outH;
        for (int y = 0; y < outH; y++) {
            float sy = ry + (y + 0.5f) * (rh / outH) - 0.5f;
            for (int x = 0; x < outW; x++) {
                float sx = rx + (x + 0.5f) * (rw / outW) - 0.5f;
                for (int c = 0; c < 3; c++) {
                    assertThat(fast.get(c * plane + y * outW + x))
                            .isEqualTo((img.sample(sx, sy, c) - 127f) / 128f);
                }
            }
        }
    }
}
