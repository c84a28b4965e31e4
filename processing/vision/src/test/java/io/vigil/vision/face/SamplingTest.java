package io.vigil.vision.face;

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

    @Test
    void faceCropsEqualThePerPixelReferenceInsideAndAtTheEdges() {
        RgbImage frame = random(200, 150, 4);
        Box[] boxes = {
            new Box(40, 30, 120, 110, 1f), // inside, scaled 1:1 with its margin
            new Box(-10, -5, 60, 70, 1f), // clipped at the top-left
            new Box(150, 90, 199, 149, 1f), // clipped at the bottom-right
            new Box(0, 0, 200, 150, 1f) // larger than MAX_SIDE: scaled down
        };
        for (Box box : boxes) {
            RgbImage crop = FaceCrops.crop(frame, box);
            float mx = box.width() * FaceCrops.MARGIN;
            float my = box.height() * FaceCrops.MARGIN;
            float x1 = Math.max(0, box.x1() - mx);
            float y1 = Math.max(0, box.y1() - my);
            float w = Math.max(1, Math.min(frame.width(), box.x2() + mx) - x1);
            float h = Math.max(1, Math.min(frame.height(), box.y2() + my) - y1);
            float scale = Math.min(1f, FaceCrops.MAX_SIDE / Math.max(w, h));
            assertThat(crop.width()).isEqualTo(Math.max(1, Math.round(w * scale)));
            assertThat(crop.height()).isEqualTo(Math.max(1, Math.round(h * scale)));
            float[] px = new float[3];
            for (int y = 0; y < crop.height(); y++) {
                for (int x = 0; x < crop.width(); x++) {
                    frame.sample3(
                            x1 + (x + 0.5f) / scale - 0.5f, y1 + (y + 0.5f) / scale - 0.5f, px);
                    for (int c = 0; c < 3; c++) {
                        assertThat(crop.at(x, y, c)).isEqualTo((int) (px[c] + 0.5f));
                    }
                }
            }
        }
    }

    @Test
    void cropJpegKeepsThePixelsInPlace() throws Exception {
        int w = 120;
        int h = 90;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (x * 255 / (w - 1));
                rgb[o + 1] = (byte) (y * 255 / (h - 1));
                rgb[o + 2] = (byte) 128;
            }
        }
        RgbImage gradient = new RgbImage(w, h, rgb);
        RgbImage back = RgbImage.decode(FaceCrops.jpeg(gradient, 0.95f));
        assertThat(back.width()).isEqualTo(w);
        assertThat(back.height()).isEqualTo(h);
        long diff = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    diff += Math.abs(gradient.at(x, y, c) - back.at(x, y, c));
                }
            }
        }
        // Red grows to the right, green downwards: a swapped channel or axis is far off.
        assertThat(diff / (3.0 * w * h)).isLessThan(3);
    }
}
