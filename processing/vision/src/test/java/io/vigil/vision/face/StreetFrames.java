package io.vigil.vision.face;

import io.vigil.vision.model.AssetPaths;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/** Real street frames with a real face pasted in, for the detection tests. */
public final class StreetFrames {
    private StreetFrames() {}

    /**
     * A 1080p frame of a real background with a real face of {@code height} px centred there;
     * {@code detector} finds the face in its photo.
     */
    public static RgbImage withFace(FaceAnalyzer detector, float cx, float cy, int height)
            throws IOException {
        BufferedImage bg =
                ImageIO.read(AssetPaths.root().resolve("backgrounds/leuvenA.jpg").toFile());
        BufferedImage face = ImageIO.read(AssetPaths.media("franck_02159.jpg").toFile());
        Box src =
                detector.detect(RgbImage.fromBufferedImage(face)).stream()
                        .max(Comparator.comparingDouble(Box::height))
                        .orElseThrow();
        BufferedImage frame = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(bg, 0, 0, 1920, 1080, null);
        // The head around the face box, scaled so the face box is `height` pixels tall.
        float k = height / src.height();
        float side = src.height() * 1.6f;
        int sx = Math.round((src.x1() + src.x2()) / 2 - side / 2);
        int sy = Math.round((src.y1() + src.y2()) / 2 - side / 2);
        int dside = Math.round(side * k);
        int dx = Math.round(cx - dside / 2f);
        int dy = Math.round(cy - dside / 2f);
        BufferedImage small = new BufferedImage(dside, dside, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D s = small.createGraphics();
        s.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        s.drawImage(
                face.getScaledInstance(
                        Math.round(face.getWidth() * k),
                        Math.round(face.getHeight() * k),
                        java.awt.Image.SCALE_AREA_AVERAGING),
                -Math.round(sx * k),
                -Math.round(sy * k),
                null);
        s.dispose();
        g.drawImage(small, dx, dy, null);
        g.dispose();
        return RgbImage.fromBufferedImage(frame);
    }

    /** The 1080p street alone. */
    public static RgbImage street() throws IOException {
        BufferedImage bg =
                ImageIO.read(AssetPaths.root().resolve("backgrounds/leuvenA.jpg").toFile());
        BufferedImage frame = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(bg, 0, 0, 1920, 1080, null);
        g.dispose();
        return RgbImage.fromBufferedImage(frame);
    }

    /**
     * The image as a camera would deliver it a moment later: brightness scaled by {@code gain} and
     * shifted by {@code offset}, plus Gaussian sensor noise of {@code sigma} grey levels.
     */
    public static RgbImage lit(RgbImage img, float gain, float offset, float sigma, long seed) {
        java.util.Random r = new java.util.Random(seed);
        byte[] src = img.rgb();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            float v = (src[i] & 0xFF) * gain + offset + (float) r.nextGaussian() * sigma;
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    public static List<Box> near(List<Box> boxes, float cx, float cy, float height) {
        return boxes.stream()
                .filter(
                        b ->
                                Math.abs((b.x1() + b.x2()) / 2 - cx) < height
                                        && Math.abs((b.y1() + b.y2()) / 2 - cy) < height)
                .toList();
    }
}
