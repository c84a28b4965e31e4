package io.vigil.vision.face;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** An 8-bit RGB image, interleaved row-major (R, G, B per pixel). */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive: " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException(
                    "expected "
                            + (width * height * 3)
                            + " bytes for "
                            + width
                            + "x"
                            + height
                            + ", got "
                            + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array, not a copy. */
    public byte[] rgb() {
        return rgb;
    }

    /** Channel value 0..255 at (x, y), c = 0 (R), 1 (G), 2 (B); coordinates are clamped. */
    public int at(int x, int y, int c) {
        int cx = Math.min(Math.max(x, 0), width - 1);
        int cy = Math.min(Math.max(y, 0), height - 1);
        return rgb[(cy * width + cx) * 3 + c] & 0xFF;
    }

    /**
     * The three channels of {@link #sample} at once, into {@code out}: the same values, with the
     * position and edge clamping worked out once instead of per channel.
     */
    public void sample3(float x, float y, float[] out) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        int cx0 = Math.min(Math.max(x0, 0), width - 1);
        int cx1 = Math.min(Math.max(x0 + 1, 0), width - 1);
        int r0 = Math.min(Math.max(y0, 0), height - 1) * width;
        int r1 = Math.min(Math.max(y0 + 1, 0), height - 1) * width;
        int p00 = (r0 + cx0) * 3;
        int p01 = (r0 + cx1) * 3;
        int p10 = (r1 + cx0) * 3;
        int p11 = (r1 + cx1) * 3;
        for (int c = 0; c < 3; c++) {
            float top = (rgb[p00 + c] & 0xFF) * (1 - fx) + (rgb[p01 + c] & 0xFF) * fx;
            float bottom = (rgb[p10 + c] & 0xFF) * (1 - fx) + (rgb[p11 + c] & 0xFF) * fx;
            out[c] = top * (1 - fy) + bottom * fy;
        }
    }

    /** Bilinear sample at a real-valued position, edges clamped. */
    public float sample(float x, float y, int c) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        float top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        float bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /**
     * The most pixels {@link #decode(byte[])} accepts: a 40-megapixel photo. Frames have their own
     * limit, {@code vigil.frame.max.pixels}.
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    static {
        // Decoding through ImageIO's stream cache writes every frame and photo to java.io.tmpdir.
        ImageIO.setUseCache(false);
    }

    /** An image whose header declares more pixels than allowed; nothing was decoded. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int width;
        private final int height;

        TooLargeException(int width, int height, long maxPixels) {
            super("image is " + width + "x" + height + ", over " + maxPixels + " pixels");
            this.width = width;
            this.height = height;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }
    }

    /**
     * Whether a file is named as a photo Vigil reads: JPEG, PNG or WebP. Folders of photos
     * (enrolment, evaluation, calibration) take exactly these, so no readable format is skipped.
     */
    public static boolean isPhotoFile(java.nio.file.Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return java.nio.file.Files.isRegularFile(p)
                && (n.endsWith(".jpg")
                        || n.endsWith(".jpeg")
                        || n.endsWith(".png")
                        || n.endsWith(".webp"));
    }

    /** As {@link #decode(byte[], long)} with {@link #DEFAULT_MAX_PIXELS}. */
    public static RgbImage decode(byte[] encoded) throws IOException {
        return decode(encoded, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes a JPEG or PNG. The size is read from the image's header first, and an image over
     * {@code maxPixels} is refused ({@link TooLargeException}) before any pixel is decoded: a
     * kilobyte of JPEG can declare 25000x25000 and would otherwise allocate gigabytes. Throws
     * {@link IOException} with a reason for anything that is not a complete, decodable image
     * (ImageIO returns null for unknown formats and may half-decode truncated files, both caught
     * here). Nothing is written to disk.
     */
    public static RgbImage decode(byte[] encoded, long maxPixels) throws IOException {
        BufferedImage img = read(encoded, maxPixels, true, new Size[1]);
        if (img == null) {
            throw new IOException("not a decodable JPEG/PNG/WebP (" + encoded.length + " bytes)");
        }
        return fromBufferedImage(img);
    }

    /**
     * The width and height an image's header declares, checked as {@link #decode} checks them,
     * without decoding a pixel: for frames whose pixels may never be needed. A corrupt body is
     * found only when the image is decoded.
     */
    public static Size size(byte[] encoded, long maxPixels) throws IOException {
        Size[] size = new Size[1];
        read(encoded, maxPixels, false, size);
        return size[0];
    }

    /** An image's size. */
    public record Size(int width, int height) {}

    private static BufferedImage read(byte[] encoded, long maxPixels, boolean pixels, Size[] size)
            throws IOException {
        if (encoded == null || encoded.length == 0) {
            throw new IOException("empty image");
        }
        try (ImageInputStream in =
                ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(
                        "not a decodable JPEG/PNG/WebP (" + encoded.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new IOException("image header declares " + w + "x" + h);
                }
                if ((long) w * h > maxPixels) {
                    throw new TooLargeException(w, h, maxPixels);
                }
                size[0] = new Size(w, h);
                return pixels ? reader.read(0) : null;
            } finally {
                reader.dispose();
            }
        } catch (RuntimeException e) {
            throw new IOException("image decoder failed: " + e, e);
        }
    }

    /** A copy as a 3-byte BGR {@link BufferedImage}, for ImageIO encoders. */
    public BufferedImage toBufferedImage() {
        BufferedImage bi = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return bi;
    }

    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < out.length; i += 3) {
                out[i] = bgr[i + 2];
                out[i + 1] = bgr[i + 1];
                out[i + 2] = bgr[i];
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (p >> 16);
                    out[o + 1] = (byte) (p >> 8);
                    out[o + 2] = (byte) p;
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
