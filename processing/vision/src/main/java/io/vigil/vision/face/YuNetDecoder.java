package io.vigil.vision.face;

import io.vigil.vision.model.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes YuNet (OpenCV model zoo, 2023 layout: anchor-free, one prediction per location). For each
 * stride {@code s} of manifest params {@code strides} (8, 16, 32), outputs {@code cls.s} and {@code
 * obj.s} hold one probability per location of the (input / s) grid, {@code bbox.s} four values
 * (centre offset x, y in cells; log width, log height in cells) and {@code kps.s} ten (five points
 * as offsets in cells: right eye, left eye, nose tip, right and left mouth corner, the subject's
 * right being the image's left). Score = sqrt(cls * obj).
 */
public final class YuNetDecoder implements DetectionDecoder {
    private final int[] strides;
    private final int inputW;
    private final int inputH;
    private final DetectorSettings settings;

    YuNetDecoder(ModelManifest m, DetectorSettings settings) {
        this(DetectionDecoder.ints(m, "strides"), m.input().width(), m.input().height(), settings);
    }

    YuNetDecoder(int[] strides, int inputW, int inputH, DetectorSettings settings) {
        this.strides = strides;
        this.inputW = inputW;
        this.inputH = inputH;
        this.settings = settings;
    }

    @Override
    public List<String> outputKeys() {
        List<String> keys = new ArrayList<>();
        for (int s : strides) {
            keys.addAll(List.of("cls." + s, "obj." + s, "bbox." + s, "kps." + s));
        }
        return keys;
    }

    @Override
    public List<Detection> decode(Map<String, float[]> outputs, int frameWidth, int frameHeight) {
        float sx = (float) frameWidth / inputW;
        float sy = (float) frameHeight / inputH;
        List<Detection> found = new ArrayList<>();
        for (int s : strides) {
            int cols = inputW / s;
            int rows = inputH / s;
            float[] cls = outputs.get("cls." + s);
            float[] obj = outputs.get("obj." + s);
            float[] bbox = outputs.get("bbox." + s);
            float[] kps = outputs.get("kps." + s);
            int n = rows * cols;
            if (cls.length != n
                    || obj.length != n
                    || bbox.length != 4 * n
                    || kps.length != 10 * n) {
                throw new IllegalArgumentException(
                        "YuNet stride "
                                + s
                                + ": expected "
                                + n
                                + " locations for a "
                                + inputW
                                + "x"
                                + inputH
                                + " input");
            }
            for (int i = 0; i < n; i++) {
                float score = (float) Math.sqrt(clamp01(cls[i]) * clamp01(obj[i]));
                if (score < settings.minConfidence()) {
                    continue;
                }
                int col = i % cols;
                int row = i / cols;
                float cx = (col + bbox[4 * i]) * s;
                float cy = (row + bbox[4 * i + 1]) * s;
                float w = (float) Math.exp(bbox[4 * i + 2]) * s;
                float h = (float) Math.exp(bbox[4 * i + 3]) * s;
                float[][] points = new float[5][];
                for (int k = 0; k < 5; k++) {
                    points[k] =
                            new float[] {
                                (kps[10 * i + 2 * k] + col) * s * sx,
                                (kps[10 * i + 2 * k + 1] + row) * s * sy
                            };
                }
                found.add(
                        new Detection(
                                clipped(
                                        cx - w / 2,
                                        cy - h / 2,
                                        cx + w / 2,
                                        cy + h / 2,
                                        score,
                                        sx,
                                        sy,
                                        frameWidth,
                                        frameHeight),
                                points));
            }
        }
        return Nms.suppress(found, Detection::box, settings.nmsIou(), settings.maxFaces());
    }

    private static float clamp01(float v) {
        return Math.min(1f, Math.max(0f, v));
    }

    /** An input-pixel box scaled to the frame and clipped to it. */
    static Box clipped(
            float x1, float y1, float x2, float y2, float score, float sx, float sy, int w, int h) {
        return new Box(
                Math.max(0f, x1 * sx),
                Math.max(0f, y1 * sy),
                Math.min(w - 1f, x2 * sx),
                Math.min(h - 1f, y2 * sy),
                score);
    }
}
