package io.vigil.vision.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.vision.model.AssetPaths;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Decoding images from outside: sizes checked from the header, nothing written to disk. */
public class ImageDecodingTest {

    /**
     * A real, small JPEG whose frame header (SOF0) is rewritten to declare {@code w x h}: about a
     * kilobyte that would otherwise make the decoder allocate w * h * 3 bytes.
     */
    public static byte[] bomb(int w, int h) throws Exception {
        byte[] jpeg = Files.readAllBytes(AssetPaths.media("bieber_small.jpg"));
        for (int i = 0; i + 8 < jpeg.length; i++) {
            int marker = jpeg[i + 1] & 0xFF;
            if ((jpeg[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
                jpeg[i + 5] = (byte) (h >> 8);
                jpeg[i + 6] = (byte) h;
                jpeg[i + 7] = (byte) (w >> 8);
                jpeg[i + 8] = (byte) w;
                return jpeg;
            }
        }
        throw new AssertionError("no SOF marker");
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        byte[] b = bomb(25_000, 25_000);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> RgbImage.decode(b, 1920L * 1080))
                .isInstanceOf(RgbImage.TooLargeException.class)
                .hasMessageContaining("25000x25000");
        assertThatThrownBy(() -> RgbImage.decode(b)).isInstanceOf(RgbImage.TooLargeException.class);
        // Refused from the header: no time is spent decoding 625 megapixels.
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void decodingWritesNothingToTheTemporaryDirectory() throws Exception {
        byte[] photo = Files.readAllBytes(AssetPaths.media("franck_02159.jpg"));
        assertThat(RgbImage.decode(photo).width()).isPositive();
        // With ImageIO's cache on, every stream it decodes is buffered through a temporary file.
        assertThat(javax.imageio.ImageIO.getUseCache()).isFalse();
        try (javax.imageio.stream.ImageInputStream in =
                javax.imageio.ImageIO.createImageInputStream(
                        new java.io.ByteArrayInputStream(photo))) {
            assertThat(in).isInstanceOf(javax.imageio.stream.MemoryCacheImageInputStream.class);
        }
    }

    @Test
    void notAnImageAndAnEmptyOneAreErrorsWithAReason() {
        assertThatThrownBy(() -> RgbImage.decode(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> RgbImage.decode("not an image".getBytes()))
                .hasMessageContaining("not a decodable");
    }
}
