package io.vigil.tools;

import io.vigil.convert.DlibResNetToOnnx;
import io.vigil.vision.face.Detection;
import io.vigil.vision.face.FaceAligner;
import io.vigil.vision.face.FaceAnalyzer;
import io.vigil.vision.face.OnnxModel;
import io.vigil.vision.face.RgbImage;
import io.vigil.vision.model.ModelManifest;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures the activation ranges an int8 embedder is quantised to: every face the analyzer finds in
 * the photos is aligned as the embedder's family wants it and run through the float network's
 * calibration graph ({@link DlibResNetToOnnx#calibrationModel}); each activation's range is the
 * smallest and largest value seen (ONNX Runtime's default "min-max" calibration), or a percentile
 * range.
 */
final class Int8Calibration {
    private static final int BINS = 1 << 14;

    /** The ranges, and how many faces of how many photos they were measured on. */
    record Result(Map<String, DlibResNetToOnnx.Range> ranges, int faces, int photos) {}

    private Int8Calibration() {}

    /** Photos (jpg, jpeg, png) under {@code dir}, in name order, so a rerun sees the same faces. */
    static List<Path> photos(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--images " + dir + " is not a directory");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(RgbImage::isPhotoFile).sorted().toList();
        }
    }

    /**
     * Each activation's range over the faces: from the smallest to the largest value when {@code
     * percentile} is 100 (min-max); else from the (100 - percentile)th to the percentile-th
     * percentile of all its values, so that a few outliers do not coarsen the 8-bit steps of every
     * other value.
     */
    static Result measure(
            FaceAnalyzer analyzer,
            ModelManifest embedder,
            OnnxModel calibration,
            List<String> activations,
            List<Path> photos,
            double percentile)
            throws IOException {
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException(
                    "--percentile must be above 50 and at most 100, got " + percentile);
        }
        ModelManifest.Input in = embedder.input();
        FaceAligner.Alignment alignment = FaceAligner.Alignment.of(embedder.family());
        int s = alignment.size();
        List<float[]> chips = new ArrayList<>();
        for (Path photo : photos) {
            RgbImage img = RgbImage.decode(Files.readAllBytes(photo));
            for (Detection d : analyzer.detectFaces(img)) {
                chips.add(
                        tensor(
                                FaceAligner.align(img, analyzer.alignmentPoints(img, d), alignment),
                                in));
            }
        }
        if (chips.isEmpty()) {
            throw new IllegalArgumentException("no face found in the " + photos.size() + " photos");
        }
        String[] names = activations.toArray(String[]::new);
        long[] shape = {1, 3, s, s};
        float[] min = new float[names.length];
        float[] max = new float[names.length];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (float[] chip : chips) {
            float[][] out = calibration.run(FloatBuffer.wrap(chip), shape, names);
            for (int a = 0; a < names.length; a++) {
                for (float v : out[a]) {
                    min[a] = Math.min(min[a], v);
                    max[a] = Math.max(max[a], v);
                }
            }
        }
        if (percentile < 100) {
            long[][] histogram = new long[names.length][BINS];
            long[] count = new long[names.length];
            for (float[] chip : chips) {
                float[][] out = calibration.run(FloatBuffer.wrap(chip), shape, names);
                for (int a = 0; a < names.length; a++) {
                    for (float v : out[a]) {
                        histogram[a][bin(v, min[a], max[a])]++;
                    }
                    count[a] += out[a].length;
                }
            }
            for (int a = 0; a < names.length; a++) {
                long tail = (long) Math.floor(count[a] * (100 - percentile) / 100);
                float lo = min[a];
                float hi = max[a];
                float width = (max[a] - min[a]) / BINS;
                long seen = 0;
                for (int b = 0; b < BINS && seen + histogram[a][b] <= tail; b++) {
                    seen += histogram[a][b];
                    lo = min[a] + (b + 1) * width;
                }
                seen = 0;
                for (int b = BINS - 1; b >= 0 && seen + histogram[a][b] <= tail; b--) {
                    seen += histogram[a][b];
                    hi = min[a] + b * width;
                }
                // A ReLU's zero stays the range's end: it is most of its values.
                min[a] = min[a] == 0 ? 0 : Math.min(lo, hi);
                max[a] = Math.max(lo, hi);
            }
        }
        Map<String, DlibResNetToOnnx.Range> ranges = new LinkedHashMap<>();
        for (int a = 0; a < names.length; a++) {
            ranges.put(names[a], new DlibResNetToOnnx.Range(min[a], max[a]));
        }
        return new Result(ranges, chips.size(), photos.size());
    }

    private static int bin(float v, float min, float max) {
        if (max <= min) {
            return 0;
        }
        return Math.min(BINS - 1, (int) ((v - min) / (max - min) * BINS));
    }

    /** NCHW, the manifest's colour order and normalisation. */
    private static float[] tensor(RgbImage chip, ModelManifest.Input in) {
        int w = chip.width();
        int h = chip.height();
        byte[] rgb = chip.rgb();
        float[] out = new float[3 * w * h];
        boolean bgr = in.colour() == ModelManifest.Colour.BGR;
        for (int c = 0; c < 3; c++) {
            int src = bgr ? 2 - c : c;
            for (int p = 0; p < w * h; p++) {
                out[c * w * h + p] = ((rgb[p * 3 + src] & 0xFF) - in.mean()) * in.scale();
            }
        }
        return out;
    }
}
