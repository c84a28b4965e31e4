package io.vigil.vision.face;

/**
 * A detected face in frame pixels. {@code points} are the detector's own alignment keypoints in
 * template order (see {@link FaceAligner.Alignment}), or null when the detector gives none and a
 * landmark model must find them.
 */
public record Detection(Box box, float[][] points) {

    /** The detection moved by (dx, dy): from tile to frame coordinates. */
    public Detection translate(float dx, float dy) {
        if (points == null) {
            return new Detection(box.translate(dx, dy), null);
        }
        float[][] moved = new float[points.length][];
        for (int i = 0; i < points.length; i++) {
            moved[i] = new float[] {points[i][0] + dx, points[i][1] + dy};
        }
        return new Detection(box.translate(dx, dy), moved);
    }
}
