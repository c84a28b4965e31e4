package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Real photos re-encoded in the other formats users send: PNG and lossy WebP. */
public final class TestPhotos {
    private TestPhotos() {}

    /** Writes a photo as lossy WebP (libwebp through ImageIO), whatever the file is named. */
    public static Path webp(Path photo, Path out) throws Exception {
        BufferedImage img = ImageIO.read(photo.toFile());
        assertThat(ImageIO.write(img, "webp", out.toFile())).isTrue();
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 12);
        assertThat(new String(head, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        return out;
    }

    /** Writes a photo as PNG, whatever the file is named. */
    public static Path png(Path photo, Path out) throws Exception {
        BufferedImage img = ImageIO.read(photo.toFile());
        assertThat(ImageIO.write(img, "png", out.toFile())).isTrue();
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 8);
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        return out;
    }
}
