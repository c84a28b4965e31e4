package io.vigil.vision.face;

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
     * dlib's face chip ({@code get_face_chip_details(shape, 150, 0.25)}), for embedders trained on
     * it: the same five points placed where dlib's mean face shape has them (the means of its eye
     * points 36-41 and 42-47, nose tip 30, mouth corners 48 and 54; dlib's published averages, in
     * 0..1 of the face), padded by 0.25 of the face on every side and scaled to 150 pixels.
     */
    static final float[][] DLIB_TEMPLATE = dlibTemplate(150, 0.25);

    private static float[][] dlibTemplate(int size, double padding) {
        double[][] mean = {
            {
                (0.121737 + 0.187122 + 0.265825 + 0.334606 + 0.260918 + 0.182743) / 6,
                (0.216423 + 0.178758 + 0.179852 + 0.231733 + 0.245099 + 0.244077) / 6
            },
            {
                (0.645647 + 0.714428 + 0.793132 + 0.858516 + 0.79751 + 0.719335) / 6,
                (0.231733 + 0.179852 + 0.178758 + 0.216423 + 0.244077 + 0.245099) / 6
            },
            {0.490127, 0.515625},
            {0.254149, 0.780233},
            {0.726104, 0.780233}
        };
        float[][] t = new float[5][2];
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < 2; c++) {
                t[i][c] = (float) ((padding + mean[i][c]) / (2 * padding + 1) * size);
            }
        }
        return t;
    }

    /** How an embedder wants its faces cut: the chip size and where the five points go. */
    public enum Alignment {
        /** The ArcFace 112x112 template (embedder family {@code arcface112}). */
        ARCFACE_112(SIZE, TEMPLATE),
        /** dlib's 150x150 chip with 0.25 padding (embedder family {@code dlib150}). */
        DLIB_150(150, DLIB_TEMPLATE);

        private final int size;
        private final float[][] five;

        Alignment(int size, float[][] five) {
            this.size = size;
            this.five = five;
        }

        public int size() {
            return size;
        }

        /** The alignment an embedder family was trained with. */
        public static Alignment of(String embedderFamily) {
            return switch (embedderFamily) {
                case "arcface112" -> ARCFACE_112;
                case "dlib150" -> DLIB_150;
                default ->
                        throw new IllegalArgumentException(
                                "no alignment for embedder family " + embedderFamily);
            };
        }

        /** The template for five points, or four with the mouth centre. */
        float[][] template(int points) {
            return switch (points) {
                case 5 -> five;
                case 4 ->
                        new float[][] {
                            five[0],
                            five[1],
                            five[2],
                            {(five[3][0] + five[4][0]) / 2, (five[3][1] + five[4][1]) / 2}
                        };
                default ->
                        throw new IllegalArgumentException(
                                "alignment needs 4 or 5 points, got " + points);
            };
        }
    }

    private FaceAligner() {}

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
     * Warps the face so its points (five, or four with the mouth centre) land on the ArcFace
     * template; returns a 112x112 image.
     */
    public static RgbImage align(RgbImage frame, float[][] points) {
        return align(frame, points, Alignment.ARCFACE_112);
    }

    /** Warps the face so its points land on the alignment's template, at its size. */
    public static RgbImage align(RgbImage frame, float[][] points, Alignment alignment) {
        int size = alignment.size();
        SimilarityTransform toTemplate =
                SimilarityTransform.estimate(points, alignment.template(points.length));
        SimilarityTransform back = toTemplate.inverse();
        byte[] out = new byte[size * size * 3];
        float[] px = new float[3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float[] s = back.apply(x, y);
                int o = (y * size + x) * 3;
                frame.sample3(s[0], s[1], px);
                // Values are in 0..255, where this equals Math.round (which is slower).
                out[o] = (byte) (int) (px[0] + 0.5f);
                out[o + 1] = (byte) (int) (px[1] + 0.5f);
                out[o + 2] = (byte) (int) (px[2] + 0.5f);
            }
        }
        return new RgbImage(size, size, out);
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
