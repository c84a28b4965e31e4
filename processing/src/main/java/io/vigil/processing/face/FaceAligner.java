package io.vigil.processing.face;

/**
 * Aligns a face to the standard ArcFace 112x112 five-point template: 68 landmarks are reduced to
 * five (eye centres, nose tip, mouth corners), a similarity transform is fitted by least squares,
 * and the crop is warped with bilinear sampling.
 */
public final class FaceAligner {
    public static final int SIZE = 112;

    /** Left eye, right eye, nose tip, left and right mouth corner in the 112x112 template. */
    static final float[][] TEMPLATE = {
        {38.2946f, 51.6963f},
        {73.5318f, 51.5014f},
        {56.0252f, 71.7366f},
        {41.5493f, 92.3655f},
        {70.7299f, 92.2041f}
    };

    /**
     * Eyes, nose tip and mouth centre: for detectors that give the mouth centre rather than its
     * corners (BlazeFace).
     */
    static final float[][] TEMPLATE_MOUTH_CENTRE = {
        TEMPLATE[0],
        TEMPLATE[1],
        TEMPLATE[2],
        {(TEMPLATE[3][0] + TEMPLATE[4][0]) / 2, (TEMPLATE[3][1] + TEMPLATE[4][1]) / 2}
    };

    private FaceAligner() {}

    /** The template for alignment points: five (eyes, nose, mouth corners) or four. */
    public static float[][] templateFor(int points) {
        return switch (points) {
            case 5 -> TEMPLATE;
            case 4 -> TEMPLATE_MOUTH_CENTRE;
            default ->
                    throw new IllegalArgumentException(
                            "alignment needs 4 or 5 points, got " + points);
        };
    }

    /** 68 points as x0,y0,x1,y1,... to the five alignment points. */
    public static float[][] fivePoints(float[] landmarks68) {
        if (landmarks68.length != 136) {
            throw new IllegalArgumentException(
                    "expected 136 values (68 points), got " + landmarks68.length);
        }
        return new float[][] {
            mean(landmarks68, 36, 41),
            mean(landmarks68, 42, 47),
            point(landmarks68, 30),
            point(landmarks68, 48),
            point(landmarks68, 54)
        };
    }

    /**
     * Warps the face so its points (five, or four with the mouth centre) land on the template;
     * returns a 112x112 image.
     */
    public static RgbImage align(RgbImage frame, float[][] points) {
        SimilarityTransform toTemplate =
                SimilarityTransform.estimate(points, templateFor(points.length));
        SimilarityTransform back = toTemplate.inverse();
        byte[] out = new byte[SIZE * SIZE * 3];
        float[] px = new float[3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                float[] s = back.apply(x, y);
                int o = (y * SIZE + x) * 3;
                frame.sample3(s[0], s[1], px);
                // Values are in 0..255, where this equals Math.round (which is slower).
                out[o] = (byte) (int) (px[0] + 0.5f);
                out[o + 1] = (byte) (int) (px[1] + 0.5f);
                out[o + 2] = (byte) (int) (px[2] + 0.5f);
            }
        }
        return new RgbImage(SIZE, SIZE, out);
    }

    private static float[] point(float[] p, int i) {
        return new float[] {p[i * 2], p[i * 2 + 1]};
    }

    private static float[] mean(float[] p, int from, int to) {
        float sx = 0, sy = 0;
        for (int i = from; i <= to; i++) {
            sx += p[i * 2];
            sy += p[i * 2 + 1];
        }
        int n = to - from + 1;
        return new float[] {sx / n, sy / n};
    }
}
