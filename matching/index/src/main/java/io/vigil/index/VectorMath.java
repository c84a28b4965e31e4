package io.vigil.index;

/** Small vector helpers shared by the embedder and the indexes. */
public final class VectorMath {
    private VectorMath() {}

    /** Returns a unit-length copy; throws if the vector is all zeros (no direction to compare). */
    public static float[] l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0 || Double.isNaN(sum)) {
            throw new IllegalArgumentException("cannot normalise a zero or NaN vector");
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "dimension mismatch: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }

    public static float cosine(float[] a, float[] b) {
        return dot(l2Normalize(a), l2Normalize(b));
    }
}
