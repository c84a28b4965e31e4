package io.vigil.processing.face;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Face crops for reviewers: the box with a margin, scaled down, and its JPEG. */
public final class FaceCrops {
    /** Margin around the box on each side, as a fraction of the box size. */
    public static final float MARGIN = 0.25f;

    /** Longest side of a crop in pixels. */
    public static final int MAX_SIDE = 160;

    private FaceCrops() {}

    /** The face box plus {@link #MARGIN}, clipped to the frame, at most {@link #MAX_SIDE}. */
    public static RgbImage crop(RgbImage frame, Box box) {
        float mx = box.width() * MARGIN;
        float my = box.height() * MARGIN;
        float x1 = Math.max(0, box.x1() - mx);
        float y1 = Math.max(0, box.y1() - my);
        float x2 = Math.min(frame.width(), box.x2() + mx);
        float y2 = Math.min(frame.height(), box.y2() + my);
        float w = Math.max(1, x2 - x1);
        float h = Math.max(1, y2 - y1);
        float scale = Math.min(1f, MAX_SIDE / Math.max(w, h));
        int ow = Math.max(1, Math.round(w * scale));
        int oh = Math.max(1, Math.round(h * scale));
        byte[] out = new byte[ow * oh * 3];
        float[] px = new float[3];
        for (int y = 0; y < oh; y++) {
            float sy = y1 + (y + 0.5f) / scale - 0.5f;
            for (int x = 0; x < ow; x++) {
                float sx = x1 + (x + 0.5f) / scale - 0.5f;
                int o = (y * ow + x) * 3;
                frame.sample3(sx, sy, px);
                out[o] = (byte) (int) (px[0] + 0.5f);
                out[o + 1] = (byte) (int) (px[1] + 0.5f);
                out[o + 2] = (byte) (int) (px[2] + 0.5f);
            }
        }
        return new RgbImage(ow, oh, out);
    }

    public static byte[] jpeg(RgbImage img, float quality) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = img.rgb();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int o = (y * img.width() + x) * 3;
                bi.setRGB(
                        x,
                        y,
                        (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(bi, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
