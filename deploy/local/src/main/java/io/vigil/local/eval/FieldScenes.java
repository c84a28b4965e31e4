package io.vigil.local.eval;

import io.vigil.vision.face.Box;
import io.vigil.vision.face.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Labelled street-camera frames made from real photos: real faces pasted, at the heights a city
 * camera sees, into real background photos scaled to the camera's resolution, then degraded the way
 * a street camera degrades a picture. The ground truth of each frame is the box of every face
 * placed in it.
 */
public final class FieldScenes {

    /** How much of the head around the detector's face box is pasted (context, hair, chin). */
    static final float PATCH = 1.7f;

    private FieldScenes() {}

    /** A face photo: its person (null when not enrolled), a name, and the face box in it. */
    public record FaceSource(String person, String name, RgbImage photo, Box face) {}

    /** A face placed in a frame: where its face box lies. */
    public record Placed(FaceSource source, Box box) {}

    /** A labelled frame. */
    public record Scene(RgbImage frame, List<Placed> faces) {}

    /** A degradation applied to a whole frame, named for the report. */
    public interface Degradation {
        String name();

        RgbImage apply(RgbImage frame, Random random);
    }

    /** The background photo scaled to cover {@code width x height} and centre-cropped. */
    public static RgbImage background(RgbImage photo, int width, int height) {
        float s = Math.max((float) width / photo.width(), (float) height / photo.height());
        float sw = width / s;
        float sh = height / s;
        return resize(
                photo, (photo.width() - sw) / 2, (photo.height() - sh) / 2, sw, sh, width, height);
    }

    /**
     * Faces pasted into a copy of the background, one per cell of a grid (so they never overlap),
     * at random positions within their cells. {@code heights[i]} is the face-box height of {@code
     * faces[i]} in frame pixels.
     */
    public static Scene compose(
            RgbImage background, List<FaceSource> faces, int[] heights, Random random) {
        if (faces.size() != heights.length) {
            throw new IllegalArgumentException("one height per face");
        }
        int n = faces.size();
        int cols =
                (int) Math.ceil(Math.sqrt(n * (double) background.width() / background.height()));
        int rows = (int) Math.ceil((double) n / cols);
        int cellW = background.width() / cols;
        int cellH = background.height() / rows;
        RgbImage frame =
                new RgbImage(background.width(), background.height(), background.rgb().clone());
        List<Placed> placed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int col = i % cols;
            int row = i / cols;
            float h = heights[i];
            float patch = h * PATCH;
            float freeX = Math.max(0, cellW - patch);
            float freeY = Math.max(0, cellH - patch);
            float cx = col * cellW + patch / 2 + random.nextFloat() * freeX;
            float cy = row * cellH + patch / 2 + random.nextFloat() * freeY;
            placed.add(new Placed(faces.get(i), paste(frame, faces.get(i), cx, cy, h)));
        }
        return new Scene(frame, placed);
    }

    /**
     * Pastes the head around a source face so that its face box is {@code height} pixels tall and
     * centred at (cx, cy), blended in with a soft elliptical edge; returns the face box in the
     * frame.
     */
    public static Box paste(RgbImage frame, FaceSource f, float cx, float cy, float height) {
        Box src = f.face();
        float k = height / src.height();
        float srcCx = (src.x1() + src.x2()) / 2;
        float srcCy = (src.y1() + src.y2()) / 2;
        float srcSide = Math.max(src.width(), src.height()) * PATCH;
        int side = Math.max(2, Math.round(srcSide * k));
        RgbImage patch =
                resize(
                        f.photo(),
                        srcCx - srcSide / 2,
                        srcCy - srcSide / 2,
                        srcSide,
                        srcSide,
                        side,
                        side);
        int x0 = Math.round(cx - side / 2f);
        int y0 = Math.round(cy - side / 2f);
        byte[] dst = frame.rgb();
        byte[] p = patch.rgb();
        float r = side / 2f;
        for (int y = 0; y < side; y++) {
            int fy = y0 + y;
            if (fy < 0 || fy >= frame.height()) {
                continue;
            }
            for (int x = 0; x < side; x++) {
                int fx = x0 + x;
                if (fx < 0 || fx >= frame.width()) {
                    continue;
                }
                float dx = (x + 0.5f - r) / r;
                float dy = (y + 0.5f - r) / r;
                float d = (float) Math.sqrt(dx * dx + dy * dy);
                float alpha = d <= 0.8f ? 1f : d >= 1f ? 0f : (1f - d) / 0.2f;
                if (alpha <= 0) {
                    continue;
                }
                int o = (fy * frame.width() + fx) * 3;
                int q = (y * side + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float v = (p[q + c] & 0xFF) * alpha + (dst[o + c] & 0xFF) * (1 - alpha);
                    dst[o + c] = (byte) Math.round(v);
                }
            }
        }
        float w = src.width() * k;
        return new Box(cx - w / 2, cy - height / 2, cx + w / 2, cy + height / 2, 1f);
    }

    /**
     * A region of an image resized to {@code dw x dh}: the mean of each output pixel's footprint
     * when shrinking (as a camera sensor integrates light, without aliasing), bilinear when
     * enlarging. Outside the image, edge pixels are repeated.
     */
    public static RgbImage resize(
            RgbImage src, float sx, float sy, float sw, float sh, int dw, int dh) {
        byte[] out = new byte[dw * dh * 3];
        float fx = sw / dw;
        float fy = sh / dh;
        float[] px = new float[3];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int o = (y * dw + x) * 3;
                if (fx <= 1 && fy <= 1) {
                    src.sample3(sx + (x + 0.5f) * fx - 0.5f, sy + (y + 0.5f) * fy - 0.5f, px);
                } else {
                    area(src, sx + x * fx, sy + y * fy, fx, fy, px);
                }
                for (int c = 0; c < 3; c++) {
                    out[o + c] = (byte) Math.min(255, Math.max(0, Math.round(px[c])));
                }
            }
        }
        return new RgbImage(dw, dh, out);
    }

    /** The mean over a footprint, sampled on a grid of at least one point per source pixel. */
    private static void area(RgbImage src, float x0, float y0, float w, float h, float[] out) {
        int nx = Math.max(1, (int) Math.ceil(w));
        int ny = Math.max(1, (int) Math.ceil(h));
        float r = 0, g = 0, b = 0;
        for (int j = 0; j < ny; j++) {
            int yy = (int) (y0 + (j + 0.5f) * h / ny);
            for (int i = 0; i < nx; i++) {
                int xx = (int) (x0 + (i + 0.5f) * w / nx);
                r += src.at(xx, yy, 0);
                g += src.at(xx, yy, 1);
                b += src.at(xx, yy, 2);
            }
        }
        float n = nx * ny;
        out[0] = r / n;
        out[1] = g / n;
        out[2] = b / n;
    }

    /** What street cameras do to a picture; each alone, so the report can tell them apart. */
    public static List<Degradation> streetDegradations() {
        return List.of(
                of("clean", (f, r) -> f),
                of("jpeg-q20", (f, r) -> jpeg(f, 20)),
                of("jpeg-q50", (f, r) -> jpeg(f, 50)),
                of("motion-blur-9px", (f, r) -> motionBlur(f, 9)),
                of("defocus-r2", (f, r) -> defocus(f, 2)),
                of("low-light", (f, r) -> lowLight(f, 2.2f, 0.6f)),
                of("noise-s12", (f, r) -> noise(f, 12, r)),
                of("down-up-0.5", (f, r) -> downUp(f, 0.5f)),
                of(
                        "street",
                        (f, r) -> jpeg(noise(lowLight(motionBlur(f, 5), 1.6f, 0.8f), 6, r), 50)));
    }

    /** A named degradation. */
    public static Degradation of(
            String name, java.util.function.BiFunction<RgbImage, Random, RgbImage> f) {
        return new Degradation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RgbImage apply(RgbImage frame, Random random) {
                return f.apply(frame, random);
            }
        };
    }

    /** Encoded and decoded as a JPEG of this quality (1..100). */
    public static RgbImage jpeg(RgbImage img, int quality) {
        BufferedImage bi = img.toBufferedImage();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality / 100f);
                writer.write(null, new IIOImage(bi, null, null), p);
            }
            return RgbImage.decode(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** Horizontal motion blur over {@code length} pixels (a walker crossing the view). */
    public static RgbImage motionBlur(RgbImage img, int length) {
        return boxFilter(img, length, 1);
    }

    /** Defocus: a disc of radius {@code r}, approximated by two passes of a square box. */
    public static RgbImage defocus(RgbImage img, int r) {
        return boxFilter(boxFilter(img, 2 * r + 1, 2 * r + 1), r + 1, r + 1);
    }

    private static RgbImage boxFilter(RgbImage img, int kw, int kh) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.rgb();
        byte[] tmp = new byte[src.length];
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int s = 0;
                    for (int k = -kw / 2; k < kw - kw / 2; k++) {
                        s += img.at(x + k, y, c);
                    }
                    tmp[(y * w + x) * 3 + c] = (byte) (s / kw);
                }
            }
        }
        RgbImage t = new RgbImage(w, h, tmp);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int s = 0;
                    for (int k = -kh / 2; k < kh - kh / 2; k++) {
                        s += t.at(x, y + k, c);
                    }
                    out[(y * w + x) * 3 + c] = (byte) (s / kh);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Dusk or a badly lit underpass: gamma {@code gamma} and exposure scaled by {@code gain}. */
    public static RgbImage lowLight(RgbImage img, float gamma, float gain) {
        byte[] lut = new byte[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (byte) Math.round(255 * gain * Math.pow(v / 255.0, gamma));
        }
        byte[] src = img.rgb();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = lut[src[i] & 0xFF];
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Gaussian sensor noise of standard deviation {@code sigma} grey levels. */
    public static RgbImage noise(RgbImage img, float sigma, Random random) {
        byte[] src = img.rgb();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            long v = Math.round((src[i] & 0xFF) + random.nextGaussian() * sigma);
            out[i] = (byte) Math.min(255, Math.max(0, v));
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Shrunk by {@code factor} and enlarged back: a cheap camera's or a transcoder's softness. */
    public static RgbImage downUp(RgbImage img, float factor) {
        int w = Math.max(1, Math.round(img.width() * factor));
        int h = Math.max(1, Math.round(img.height() * factor));
        RgbImage small = resize(img, 0, 0, img.width(), img.height(), w, h);
        return resize(small, 0, 0, w, h, img.width(), img.height());
    }
}
