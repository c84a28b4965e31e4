package io.vigil.vision.face;

import io.vigil.vision.model.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes MediaPipe BlazeFace (short-range 128 and full-range 256 models). Per anchor grid {@code
 * g} (manifest params {@code grids}, e.g. 16 and 8 cells a side, with {@code anchorsPerCell}, e.g.
 * 2 and 6), {@code scores.g} holds one logit per anchor and {@code boxes.g} 16 values: box centre
 * offset x, y and width, height, then six keypoints (right eye, left eye, nose tip, mouth centre,
 * right and left ear tragion) as offsets, all in input pixels from the anchor's cell centre.
 * Keypoints 0-3 become the alignment points (eyes, nose, mouth centre).
 */
public final class BlazeFaceDecoder implements DetectionDecoder {
    private final int[] grids;
    private final int[] anchorsPerCell;
    private final float inputW;
    private final float inputH;
    private final DetectorSettings settings;
    private final float minLogit;

    BlazeFaceDecoder(ModelManifest m, DetectorSettings settings) {
        this(
                DetectionDecoder.ints(m, "grids"),
                DetectionDecoder.ints(m, "anchorsPerCell"),
                m.input().width(),
                m.input().height(),
                settings);
    }

    BlazeFaceDecoder(
            int[] grids, int[] anchorsPerCell, int inputW, int inputH, DetectorSettings settings) {
        if (grids.length != anchorsPerCell.length) {
            throw new IllegalArgumentException("grids and anchorsPerCell differ in length");
        }
        this.grids = grids;
        this.anchorsPerCell = anchorsPerCell;
        this.inputW = inputW;
        this.inputH = inputH;
        this.settings = settings;
        float p = settings.minConfidence();
        this.minLogit = (float) Math.log(p / (1 - p));
    }

    @Override
    public List<String> outputKeys() {
        List<String> keys = new ArrayList<>();
        for (int g = 0; g < grids.length; g++) {
            keys.add("scores." + g);
            keys.add("boxes." + g);
        }
        return keys;
    }

    @Override
    public List<Detection> decode(Map<String, float[]> outputs, int frameWidth, int frameHeight) {
        List<Detection> found = new ArrayList<>();
        float sx = frameWidth / inputW;
        float sy = frameHeight / inputH;
        for (int g = 0; g < grids.length; g++) {
            float[] scores = outputs.get("scores." + g);
            float[] boxes = outputs.get("boxes." + g);
            int cells = grids[g];
            int perCell = anchorsPerCell[g];
            if (scores.length != cells * cells * perCell || boxes.length != scores.length * 16) {
                throw new IllegalArgumentException(
                        "BlazeFace grid "
                                + g
                                + ": expected "
                                + cells * cells * perCell
                                + " anchors, got "
                                + scores.length
                                + " scores and "
                                + boxes.length / 16
                                + " boxes");
            }
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < minLogit) {
                    continue;
                }
                int cell = i / perCell;
                float ax = (cell % cells + 0.5f) / cells * inputW;
                float ay = (cell / cells + 0.5f) / cells * inputH;
                int o = i * 16;
                float cx = ax + boxes[o];
                float cy = ay + boxes[o + 1];
                float w = boxes[o + 2];
                float h = boxes[o + 3];
                float score = (float) (1 / (1 + Math.exp(-scores[i])));
                Box box =
                        new Box(
                                Math.max(0f, (cx - w / 2) * sx),
                                Math.max(0f, (cy - h / 2) * sy),
                                Math.min(frameWidth - 1f, (cx + w / 2) * sx),
                                Math.min(frameHeight - 1f, (cy + h / 2) * sy),
                                score);
                float[][] points = new float[4][];
                for (int k = 0; k < 4; k++) {
                    points[k] =
                            new float[] {
                                (ax + boxes[o + 4 + 2 * k]) * sx, (ay + boxes[o + 5 + 2 * k]) * sy
                            };
                }
                found.add(new Detection(box, points));
            }
        }
        return Nms.suppress(found, Detection::box, settings.nmsIou(), settings.maxFaces());
    }
}
