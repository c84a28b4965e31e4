package io.vigil.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.index.TestVectors;
import io.vigil.index.VectorMath;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignSketchTest {
    private static int hamming(long[] a, long[] b, int words) {
        int h = 0;
        for (int w = 0; w < words; w++) {
            h += Long.bitCount(a[w] ^ b[w]);
        }
        return h;
    }

    /** Fraction of pairs that the two-stage pre-filter would drop although they are at cos. */
    private static double missRate(SignSketch sketch, float[][][] pairs, double bound) {
        int bits = sketch.words() * 64;
        int scanCut = SignSketch.cutoff(bits / 2, bound);
        int fullCut = SignSketch.cutoff(bits, bound);
        int missed = 0;
        for (float[][] pair : pairs) {
            long[] a = sketch.sketch(pair[0]);
            long[] b = sketch.sketch(pair[1]);
            if (hamming(a, b, sketch.scanWords()) > scanCut
                    || hamming(a, b, sketch.words()) > fullCut) {
                missed++;
            }
        }
        return missed / (double) pairs.length;
    }

    private static float[][][] gaussianPairs(int dim, double cos, int n, Random r) {
        float[][][] pairs = new float[n][][];
        for (int i = 0; i < n; i++) {
            float[] base = TestVectors.gaussian(dim, r);
            pairs[i] =
                    new float[][] {base, TestVectors.at(base, TestVectors.gaussian(dim, r), cos)};
        }
        return pairs;
    }

    @Test
    void missesAboutTwoInAThousandFacesExactlyAtTheBoundAndAlmostNoneAboveIt() {
        Random r = new Random(1);
        for (int dim : new int[] {512, 192}) {
            SignSketch sketch = new SignSketch(dim);
            assertThat(sketch.words()).isEqualTo(16);
            assertThat(missRate(sketch, gaussianPairs(dim, 0.40, 6000, r), 0.40))
                    .as("miss rate at the bound, dim %d", dim)
                    .isLessThan(0.006);
            assertThat(missRate(sketch, gaussianPairs(dim, 0.50, 6000, r), 0.40))
                    .as("miss rate 0.1 above the bound, dim %d", dim)
                    .isLessThan(0.0005);
        }
    }

    @Test
    void rotationsSpreadSparseVectorsSoTheBoundHoldsForThemToo() {
        // Pairs in the plane of two coordinate axes: the worst case for plain coordinate signs,
        // which would see at most two bits differ.
        Random r = new Random(2);
        int dim = 512;
        SignSketch sketch = new SignSketch(dim);
        float[][][] pairs = new float[3000][][];
        for (int i = 0; i < pairs.length; i++) {
            float[] base = new float[dim];
            float[] dir = new float[dim];
            base[r.nextInt(dim)] = 1;
            dir[r.nextInt(dim)] = 1;
            dir[r.nextInt(dim)] += 0.5f;
            if (VectorMath.dot(base, dir) > 0.99) {
                dir = TestVectors.gaussian(dim, r);
            }
            pairs[i] =
                    new float[][] {base, TestVectors.at(base, VectorMath.l2Normalize(dir), 0.40)};
        }
        assertThat(missRate(sketch, pairs, 0.40)).isLessThan(0.01);
        // And a pair far apart is rejected: the filter does filter.
        float[] a = new float[dim];
        float[] b = new float[dim];
        a[3] = 1;
        b[400] = 1;
        assertThat(hamming(sketch.sketch(a), sketch.sketch(b), 16))
                .isGreaterThan(SignSketch.cutoff(1024, 0.40));
    }

    @Test
    void sketchIsScaleFreeDeterministicAndSignedByDirection() {
        Random r = new Random(3);
        float[] v = TestVectors.gaussian(512, r);
        float[] twice = new float[v.length];
        float[] opposite = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            twice[i] = 2 * v[i];
            opposite[i] = -v[i];
        }
        long[] s = new SignSketch(512).sketch(v);
        assertThat(new SignSketch(512).sketch(twice)).isEqualTo(s);
        assertThat(hamming(s, new SignSketch(512).sketch(opposite), 16)).isGreaterThan(1000);
        assertThatThrownBy(() -> new SignSketch(512).sketch(new float[192]))
                .hasMessageContaining("dimension mismatch");
    }

    @Test
    void cutoffGrowsAsTheBoundFallsAndKeepsEverythingWithoutABound() {
        assertThat(SignSketch.cutoff(512, 1.0)).isEqualTo(0);
        assertThat(SignSketch.cutoff(512, 0.9)).isLessThan(SignSketch.cutoff(512, 0.4));
        assertThat(SignSketch.cutoff(512, 0.4)).isLessThan(256);
        assertThat(SignSketch.cutoff(512, Float.NEGATIVE_INFINITY)).isEqualTo(512);
        assertThat(SignSketch.cutoff(512, -0.5)).isGreaterThan(256);
        assertThat(SignSketch.cutoff(512, -1)).isEqualTo(512);
    }
}
