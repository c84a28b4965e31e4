package io.vigil.vision.face;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation): x' = a*x - b*y + tx, y' = b*x
 * + a*y + ty. Estimated by least squares from point pairs (Umeyama without reflection).
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    /**
     * The least-squares transform mapping {@code src[i]} onto {@code dst[i]}; points as (x, y)
     * pairs.
     */
    public static SimilarityTransform estimate(float[][] src, float[][] dst) {
        int n = src.length;
        if (n < 2 || dst.length != n) {
            throw new IllegalArgumentException(
                    "need >= 2 matching point pairs, got " + n + "/" + dst.length);
        }
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[i][0];
            msy += src[i][1];
            mdx += dst[i][0];
            mdy += dst[i][1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double norm = 0, sa = 0, sb = 0;
        for (int i = 0; i < n; i++) {
            double px = src[i][0] - msx, py = src[i][1] - msy;
            double qx = dst[i][0] - mdx, qy = dst[i][1] - mdy;
            norm += px * px + py * py;
            sa += px * qx + py * qy;
            sb += px * qy - py * qx;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("source points are all identical");
        }
        double a = sa / norm;
        double b = sb / norm;
        double tx = mdx - (a * msx - b * msy);
        double ty = mdy - (b * msx + a * msy);
        return new SimilarityTransform(a, b, tx, ty);
    }

    public float[] apply(float x, float y) {
        return new float[] {(float) (a * x - b * y + tx), (float) (b * x + a * y + ty)};
    }

    public SimilarityTransform inverse() {
        double det = a * a + b * b;
        double ia = a / det;
        double ib = -b / det;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    public double scale() {
        return Math.sqrt(a * a + b * b);
    }
}
