package io.vigil.index;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Unit vectors for index tests and benchmarks: random ones, and ones at a set cosine. */
public final class TestVectors {
    /** The tests' clock and dimension. */
    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    public static final int DIM = 64;

    private TestVectors() {}

    public static WatchlistEntry entry(String id, Instant expires) {
        return entry(id, expires, "model-a");
    }

    public static WatchlistEntry entry(String id, Instant expires, String model) {
        return new WatchlistEntry(
                "entry-" + id,
                id,
                "tester",
                NOW.minus(Duration.ofDays(1)),
                "CASE-1",
                expires,
                model,
                List.of("missing persons"));
    }

    /** The purposes test entries are enrolled for, and searched with. */
    public static final Set<String> PURPOSES = Set.of("missing persons");

    /** A search of one model's entries unexpired at {@code now}, for {@link #PURPOSES}. */
    public static SearchFilter filter(String modelId, Instant now) {
        return new SearchFilter(modelId, now, PURPOSES);
    }

    /** A random unit vector of {@link #DIM} dimensions. */
    public static float[] random(Random r) {
        return gaussian(DIM, r);
    }

    /** A random unit vector (uniform on the sphere). */
    public static float[] gaussian(int dim, Random r) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return VectorMath.l2Normalize(v);
    }

    /** A unit vector at cosine {@code cos} from the unit vector {@code base}, in a random plane. */
    public static float[] near(float[] base, float cos, Random r) {
        return at(base, gaussian(base.length, r), cos);
    }

    /** A unit vector at cosine {@code cos} from {@code base}, in the plane of base and dir. */
    public static float[] at(float[] base, float[] dir, double cos) {
        double d = VectorMath.dot(dir, base);
        float[] ortho = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            ortho[i] = (float) (dir[i] - d * base[i]);
        }
        ortho = VectorMath.l2Normalize(ortho);
        double sin = Math.sqrt(1 - cos * cos);
        float[] out = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            out[i] = (float) (cos * base[i] + sin * ortho[i]);
        }
        return out;
    }
}
