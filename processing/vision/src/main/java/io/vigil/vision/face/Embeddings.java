package io.vigil.vision.face;

/**
 * Embedding maths of the vision layer. The index keeps its own {@code VectorMath}: vision must not
 * depend on the index (Lucene, Milvus), nor the index on ONNX Runtime.
 */
public final class Embeddings {
    private Embeddings() {}

    /** Returns a unit-length copy; throws if the vector is all zeros (no direction to compare). */
    public static float[] l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0 || Double.isNaN(sum)) {
            throw new IllegalArgumentException("cannot normalise a zero or NaN embedding");
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    /** Cosine similarity of two unit-length embeddings. */
    public static float similarity(float[] a, float[] b) {
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
}
