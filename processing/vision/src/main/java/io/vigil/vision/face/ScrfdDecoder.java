package io.vigil.vision.face;

import io.vigil.vision.model.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes SCRFD (InsightFace) with keypoints. For each stride {@code s} of manifest params {@code
 * strides} (8, 16, 32) and {@code anchorsPerCell} anchors (2) per location of the (input / s) grid,
 * row-major with the anchors of a location adjacent: {@code score.s} one probability (sigmoid
 * already applied), {@code bbox.s} the distances left, top, right, bottom from the anchor centre
 * (col * s, row * s) in units of s, and {@code kps.s} five points (right eye, left eye, nose, right
 * and left mouth corner) as offsets from the centre in units of s.
 */
public final class ScrfdDecoder implements DetectionDecoder {
    private final int[] strides;
    private final int anchors;
    private final int inputW;
    private final int inputH;
    private final DetectorSettings settings;

    ScrfdDecoder(ModelManifest m, DetectorSettings settings) {
        this(
                DetectionDecoder.ints(m, "strides"),
                DetectionDecoder.ints(m, "anchorsPerCell")[0],
                m.input().width(),
                m.input().height(),
                settings);
    }

    ScrfdDecoder(int[] strides, int anchors, int inputW, int inputH, DetectorSettings settings) {
        this.strides = strides;
        this.anchors = anchors;
        this.inputW = inputW;
        this.inputH = inputH;
        this.settings = settings;
    }

    @Override
    public List<String> outputKeys() {
        List<String> keys = new ArrayList<>();
        for (int s : strides) {
            keys.addAll(List.of("score." + s, "bbox." + s, "kps." + s));
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
            int n = cols * (inputH / s) * anchors;
            float[] score = outputs.get("score." + s);
            float[] bbox = outputs.get("bbox." + s);
            float[] kps = outputs.get("kps." + s);
            if (score.length != n || bbox.length != 4 * n || kps.length != 10 * n) {
                throw new IllegalArgumentException(
                        "SCRFD stride "
                                + s
                                + ": expected "
                                + n
                                + " anchors for a "
                                + inputW
                                + "x"
                                + inputH
                                + " input, got "
                                + score.length);
            }
            for (int i = 0; i < n; i++) {
                if (score[i] < settings.minConfidence()) {
                    continue;
                }
                int loc = i / anchors;
                float cx = (loc % cols) * s;
                float cy = (loc / cols) * s;
                float[][] points = new float[5][];
                for (int k = 0; k < 5; k++) {
                    points[k] =
                            new float[] {
                                (cx + kps[10 * i + 2 * k] * s) * sx,
                                (cy + kps[10 * i + 2 * k + 1] * s) * sy
                            };
                }
                found.add(
                        new Detection(
                                YuNetDecoder.clipped(
                                        cx - bbox[4 * i] * s,
                                        cy - bbox[4 * i + 1] * s,
                                        cx + bbox[4 * i + 2] * s,
                                        cy + bbox[4 * i + 3] * s,
                                        score[i],
                                        sx,
                                        sy,
                                        frameWidth,
                                        frameHeight),
                                points));
            }
        }
        return Nms.suppress(found, Detection::box, settings.nmsIou(), settings.maxFaces());
    }
}
