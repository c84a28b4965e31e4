package io.vigil.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneVectorIndexTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final int DIM = 64;

    static WatchlistEntry entry(String id, Instant expires) {
        return entry(id, expires, "model-a");
    }

    static WatchlistEntry entry(String id, Instant expires, String model) {
        return new WatchlistEntry(
                "entry-" + id,
                id,
                "tester",
                NOW.minus(Duration.ofDays(1)),
                "CASE-1",
                expires,
                model);
    }

    static float[] random(Random r) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return VectorMath.l2Normalize(v);
    }

    /** A unit vector at cosine {@code cos} from {@code base}. */
    static float[] near(float[] base, float cos, Random r) {
        float[] noise = random(r);
        float d = VectorMath.dot(noise, base);
        float[] ortho = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            ortho[i] = noise[i] - d * base[i];
        }
        ortho = VectorMath.l2Normalize(ortho);
        float sin = (float) Math.sqrt(1 - cos * cos);
        float[] out = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            out[i] = cos * base[i] + sin * ortho[i];
        }
        return out;
    }

    @Test
    void readOnlyViewSeesEnrolmentsAndRemovalsOfTheWriterAtOnce(@TempDir Path dir) {
        Random r = new Random(4);
        float[] q = random(r);
        try (LuceneVectorIndex writer = LuceneVectorIndex.open(dir)) {
            try (LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(dir)) {
                assertThat(reader.faceCount()).isZero();
                writer.upsert(entry("a", NOW.plus(Duration.ofDays(1))), "a1", q);
                writer.commit();
                assertThat(reader.search(q, 1, new SearchFilter("model-a", NOW))).hasSize(1);
                assertThatThrownBy(() -> reader.upsert(entry("b", NOW.plusSeconds(60)), "b", q))
                        .isInstanceOf(IllegalStateException.class);
                writer.deleteEntry("entry-a");
                assertThat(reader.search(q, 1, new SearchFilter("model-a", NOW))).isEmpty();
            }
        }
    }

    @Test
    void matcherAppliesThresholdAndPolicyRejectsThresholdUnderFloor() {
        Random r = new Random(5);
        float[] q = random(r);
        try (LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            index.upsert(entry("a", NOW.plus(Duration.ofDays(1))), "a1", near(q, 0.45f, r));
            index.commit();
            assertThat(
                            new Matcher(index, new MatchPolicy("model-a", 0.5f, 0.4f, 3))
                                    .bestMatch(q, NOW))
                    .isEmpty();
            assertThat(
                            new Matcher(index, new MatchPolicy("model-a", 0.4f, 0.4f, 3))
                                    .bestMatch(q, NOW))
                    .isPresent();
        }
        assertThatThrownBy(() -> new MatchPolicy("model-a", 0.3f, 0.4f, 3))
                .hasMessageContaining("threshold 0.3");
    }

    @Test
    void entriesRequireProvenanceAndAValidExternalId() {
        assertThatThrownBy(
                        () ->
                                new WatchlistEntry(
                                        "e", "ok", "me", NOW, " ", NOW.plusSeconds(1), "m"))
                .hasMessageContaining("legalBasis");
        assertThatThrownBy(
                        () ->
                                new WatchlistEntry(
                                        "e", "bad id!", "me", NOW, "CASE", NOW.plusSeconds(1), "m"))
                .hasMessageContaining("externalId");
        assertThatThrownBy(() -> new WatchlistEntry("e", "ok", "me", NOW, "CASE", NOW, "m"))
                .hasMessageContaining("expiresAt");
    }

    @Test
    void l2NormalizeRejectsZeroAndProducesUnitVectors() {
        float[] v = VectorMath.l2Normalize(new float[] {3, 4});
        assertThat(v).containsExactly(0.6f, 0.8f);
        assertThatThrownBy(() -> VectorMath.l2Normalize(new float[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
