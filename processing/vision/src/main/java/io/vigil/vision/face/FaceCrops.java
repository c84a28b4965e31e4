package io.vigil.vision.face;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
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
        return crop(frame, box, MAX_SIDE);
    }

    /** The face box plus {@link #MARGIN}, clipped to the frame, at most {@code maxSide}. */
    public static RgbImage crop(RgbImage frame, Box box, int maxSide) {
        float mx = box.width() * MARGIN;
        float my = box.height() * MARGIN;
        float x1 = Math.max(0, box.x1() - mx);
        float y1 = Math.max(0, box.y1() - my);
        float x2 = Math.min(frame.width(), box.x2() + mx);
        float y2 = Math.min(frame.height(), box.y2() + my);
        float w = Math.max(1, x2 - x1);
        float h = Math.max(1, y2 - y1);
        float scale = Math.min(1f, maxSide / Math.max(w, h));
        int ow = Math.max(1, Math.round(w * scale));
        int oh = Math.max(1, Math.round(h * scale));
        // Bilinear, as RgbImage.sample3, with the column coefficients computed once: every face
        // of every frame is cropped, and per-pixel floor and clamping made this the analysis
        // thread's second-hottest Java code (JFR).
        int fw = frame.width();
        int fh = frame.height();
        byte[] src = frame.rgb();
        float[] fxs = new float[ow];
        int[] c0 = new int[ow];
        int[] c1 = new int[ow];
        for (int x = 0; x < ow; x++) {
            float sx = x1 + (x + 0.5f) / scale - 0.5f;
            int x0 = (int) Math.floor(sx);
            fxs[x] = sx - x0;
            c0[x] = Math.min(Math.max(x0, 0), fw - 1) * 3;
            c1[x] = Math.min(Math.max(x0 + 1, 0), fw - 1) * 3;
        }
        byte[] out = new byte[ow * oh * 3];
        for (int y = 0; y < oh; y++) {
            float sy = y1 + (y + 0.5f) / scale - 0.5f;
            int y0 = (int) Math.floor(sy);
            float fy = sy - y0;
            int r0 = Math.min(Math.max(y0, 0), fh - 1) * fw * 3;
            int r1 = Math.min(Math.max(y0 + 1, 0), fh - 1) * fw * 3;
            for (int x = 0; x < ow; x++) {
                float fx = fxs[x];
                int o = (y * ow + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float top =
                            (src[r0 + c0[x] + c] & 0xFF) * (1 - fx)
                                    + (src[r0 + c1[x] + c] & 0xFF) * fx;
                    float bottom =
                            (src[r1 + c0[x] + c] & 0xFF) * (1 - fx)
                                    + (src[r1 + c1[x] + c] & 0xFF) * fx;
                    out[o + c] = (byte) (int) (top * (1 - fy) + bottom * fy + 0.5f);
                }
            }
        }
        return new RgbImage(ow, oh, out);
    }

    public static byte[] jpeg(RgbImage img, float quality) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = img.rgb();
        // Straight into the raster's ints: setRGB converts colour models pixel by pixel.
        int[] pixels = ((DataBufferInt) bi.getRaster().getDataBuffer()).getData();
        for (int i = 0, o = 0; i < pixels.length; i++, o += 3) {
            pixels[i] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
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
