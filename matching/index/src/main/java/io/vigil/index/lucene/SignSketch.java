package io.vigil.index.lucene;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A binary sketch of a unit vector for a threshold-aware pre-filter: the signs of the vector after
 * fixed pseudo-random rotations (random-hyperplane hashing, Charikar 2002). Two unit vectors at
 * angle θ disagree on each sign with probability θ/π, so the Hamming distance of their sketches
 * bounds their cosine: a face whose distance exceeds {@link #cutoff} is, with a known small
 * probability of error, below the similarity asked for, and is never compared in full.
 *
 * <p>A rotation is three rounds of random sign flips followed by a fast Walsh–Hadamard transform of
 * the vector zero-padded to a power of two (the structured rotation of FALCONN's cross-polytope
 * LSH): O(d log d) per vector and close to a random rotation even for sparse or skewed vectors.
 * Enough rotations are concatenated for {@value #MIN_BITS} bits. The first half of the words is the
 * scan stage, the rest refines the survivors.
 *
 * <p>The sketch is a stored format: the seeds and layout must not change without a new {@link
 * #VERSION}, or stored sketches and query sketches would disagree.
 */
public final class SignSketch {
    /** Version of the stored sketch layout; part of the index field name. */
    public static final int VERSION = 1;

    /** Total sketch bits, at least; two stages of half this each. */
    static final int MIN_BITS = 1024;

    private static final int ROUNDS = 3;
    private static final long SEED = 0x5649_4749_4c31L; // "VIGIL1"

    /**
     * One-sided normal quantile per stage: with independent bits, each stage would miss a face
     * lying exactly at the asked similarity with probability 1e-3 (2e-3 in all). A rotation's bits
     * come from orthogonal directions, which varies less: measured, 2 misses in 120,000 pairs at
     * the bound (512-d and 192-d, bounds 0.3 to 0.5), none at 0.05 above it (docs/benchmarks.md).
     */
    static final double Z = 3.09;

    private final int dim;
    private final int padded;
    private final int rotations;
    private final int words;
    private final float[][] signs;

    public SignSketch(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, was " + dim);
        }
        this.dim = dim;
        this.padded = Math.max(64, dim == 1 ? 1 : Integer.highestOneBit(dim - 1) << 1);
        int bits = Math.max(MIN_BITS, padded);
        this.rotations = bits / padded;
        this.words = bits / 64;
        SplittableRandom random = new SplittableRandom(SEED);
        this.signs = new float[rotations * ROUNDS][padded];
        for (float[] s : signs) {
            for (int i = 0; i < padded; i++) {
                s[i] = random.nextBoolean() ? 1f : -1f;
            }
        }
    }

    public int dimension() {
        return dim;
    }

    /** Sketch length in 64-bit words. */
    public int words() {
        return words;
    }

    /** Words of the scan stage (the first half); the rest are the refinement stage. */
    public int scanWords() {
        return words / 2;
    }

    /** The sketch of a vector of this dimension (its length does not matter, only direction). */
    public long[] sketch(float[] v) {
        if (v.length != dim) {
            throw new IllegalArgumentException(
                    "dimension mismatch: " + v.length + " vs sketch of " + dim);
        }
        long[] out = new long[words];
        float[] x = new float[padded];
        for (int r = 0; r < rotations; r++) {
            System.arraycopy(v, 0, x, 0, dim);
            Arrays.fill(x, dim, padded, 0f);
            for (int round = 0; round < ROUNDS; round++) {
                float[] s = signs[r * ROUNDS + round];
                for (int i = 0; i < padded; i++) {
                    x[i] *= s[i];
                }
                hadamard(x);
            }
            int base = r * padded;
            for (int i = 0; i < padded; i++) {
                if (x[i] > 0) {
                    int bit = base + i;
                    out[bit >>> 6] |= 1L << (bit & 63);
                }
            }
        }
        return out;
    }

    /**
     * The largest Hamming distance over {@code bits} sketch bits that a face at cosine {@code
     * minSimilarity} or more reaches with probability above about 1e-3; {@code bits} itself (keep
     * everything) when no similarity bound is asked for.
     */
    public static int cutoff(int bits, double minSimilarity) {
        if (minSimilarity <= -1 || Double.isNaN(minSimilarity)) {
            return bits;
        }
        double p = Math.acos(Math.min(1, minSimilarity)) / Math.PI;
        double h = bits * p + Z * Math.sqrt(bits * p * (1 - p));
        return (int) Math.min(bits, Math.ceil(h));
    }

    /** In-place unnormalised fast Walsh–Hadamard transform (length a power of two). */
    private static void hadamard(float[] x) {
        for (int h = 1; h < x.length; h <<= 1) {
            for (int i = 0; i < x.length; i += h << 1) {
                for (int j = i; j < i + h; j++) {
                    float a = x[j];
                    float b = x[j + h];
                    x[j] = a + b;
                    x[j + h] = a - b;
                }
            }
        }
    }
}
