package io.vigil.vision.face;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes UltraFace (RFB-320) outputs: {@code scores} [N,2] already softmaxed (column 1 = face) and
 * {@code boxes} [N,4] as x1,y1,x2,y2 in 0..1 of the whole frame. Boxes are scaled to pixels,
 * squared on their height around the centre (the landmark model was trained on square crops),
 * clipped to the frame, filtered by score and suppressed.
 */
public final class UltraFaceDecoder implements DetectionDecoder {
    private final float scoreThreshold;
    private final float iouThreshold;
    private final int maxFaces;

    public UltraFaceDecoder(float scoreThreshold, float iouThreshold, int maxFaces) {
        this.scoreThreshold = scoreThreshold;
        this.iouThreshold = iouThreshold;
        this.maxFaces = maxFaces;
    }

    @Override
    public List<String> outputKeys() {
        return List.of("scores", "boxes");
    }

    @Override
    public List<Detection> decode(Map<String, float[]> outputs, int frameWidth, int frameHeight) {
        List<Detection> out = new ArrayList<>();
        for (Box b : decode(outputs.get("scores"), outputs.get("boxes"), frameWidth, frameHeight)) {
            out.add(new Detection(b, null));
        }
        return out;
    }

    public List<Box> decode(float[] scores, float[] boxes, int frameWidth, int frameHeight) {
        int n = scores.length / 2;
        if (boxes.length != n * 4) {
            throw new IllegalArgumentException(
                    "scores has " + n + " anchors but boxes has " + boxes.length / 4);
        }
        List<Box> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float s = scores[i * 2 + 1];
            if (s < scoreThreshold) {
                continue;
            }
            candidates.add(toSquarePixels(boxes, i, s, frameWidth, frameHeight));
        }
        return Nms.suppress(candidates, iouThreshold, maxFaces);
    }

    static Box toSquarePixels(float[] boxes, int i, float score, int w, int h) {
        float x1 = boxes[i * 4] * w;
        float y1 = boxes[i * 4 + 1] * h;
        float x2 = boxes[i * 4 + 2] * w;
        float y2 = boxes[i * 4 + 3] * h;
        float side = y2 - y1;
        float cx = (x1 + x2) / 2;
        float cy = (y1 + y2) / 2;
        return new Box(
                Math.max(0f, cx - side / 2),
                Math.max(0f, cy - side / 2),
                Math.min(w - 1f, cx + side / 2),
                Math.min(h - 1f, cy + side / 2),
                score);
    }
}
