package io.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MotionPreviewTest {

    @Test
    void oneGreyLevelPerWholeBlockFromEverySecondPixel() {
        int w = 20;
        int h = 17;
        byte[] rgb = new byte[w * h * 3];
        // Block (1, 0): white on the sampled pixels only, so the mean shows which are read.
        for (int y = 0; y < 8; y += 2) {
            for (int x = 8; x < 16; x += 2) {
                int i = (y * w + x) * 3;
                rgb[i] = rgb[i + 1] = rgb[i + 2] = (byte) 255;
            }
        }
        // Block (0, 1): pure red, then the same as blue-green-red.
        for (int y = 8; y < 16; y++) {
            for (int x = 0; x < 8; x++) {
                rgb[(y * w + x) * 3] = (byte) 200;
            }
        }
        byte[] p = MotionPreview.of(rgb, w, h, false);
        assertThat(MotionPreview.length(w, h)).isEqualTo(4).isEqualTo(p.length);
        assertThat(p[1] & 0xFF).isEqualTo(255);
        assertThat(p[0] & 0xFF).isZero();
        assertThat(p[2] & 0xFF).isEqualTo(200 * 77 / 256);
        byte[] bgr = MotionPreview.of(rgb, w, h, true);
        assertThat(bgr[2] & 0xFF).isEqualTo(200 * 29 / 256);
    }

    @Test
    void tooFewBytesAreRefused() {
        assertThatThrownBy(() -> MotionPreview.of(new byte[10], 4, 4, false))
                .hasMessageContaining("10 bytes cannot hold 4x4 pixels");
    }
}
