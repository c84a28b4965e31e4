package io.vigil.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        return new WatchlistEntry("entry-" + id, id, "tester", NOW.minus(Duration.ofDays(1)), "CASE-1", expires, model);
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
    void returnsEntriesInOrderWithCosineScoresOneHitPerEntry() {
        Random r = new Random(1);
        float[] q = random(r);
        try (LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            Instant exp = NOW.plus(Duration.ofDays(10));
            index.upsert(entry("a", exp), "a1", near(q, 0.9f, r));
            index.upsert(entry("a", exp), "a2", near(q, 0.6f, r)); // second photo of a
            index.upsert(entry("b", exp), "b1", near(q, 0.7f, r));
            index.upsert(entry("c", exp), "c1", near(q, 0.2f, r));
            for (int i = 0; i < 50; i++) {
                index.upsert(entry("noise" + i, exp), "n" + i, random(r));
            }
            index.commit();
            List<SearchHit> hits = index.search(q, 3, new SearchFilter("model-a", NOW));
            assertThat(hits).extracting(h -> h.entry().externalId()).startsWith("a", "b");
            assertThat(hits.get(0).faceId()).isEqualTo("a1");
            assertThat(hits.get(0).similarity()).isCloseTo(0.9f, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(hits.get(1).similarity()).isCloseTo(0.7f, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(hits).extracting(h -> h.entry().entryId()).doesNotHaveDuplicates();
            assertThat(hits.get(0).entry().legalBasis()).isEqualTo("CASE-1");
        }
    }

    @Test
    void expiredEntriesAndOtherModelsAreNotMatchedAndExpiredArePurged() {
        Random r = new Random(2);
        float[] q = random(r);
        try (LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            index.upsert(entry("expired", NOW.minusSeconds(1)), "x", near(q, 0.99f, r));
            index.upsert(entry("other-model", NOW.plus(Duration.ofDays(1)), "model-b"), "y", near(q, 0.98f, r));
            index.upsert(entry("valid", NOW.plus(Duration.ofDays(1))), "z", near(q, 0.5f, r));
            index.commit();
            List<SearchHit> hits = index.search(q, 5, new SearchFilter("model-a", NOW));
            assertThat(hits).extracting(h -> h.entry().externalId()).containsExactly("valid");
            assertThat(index.purgeExpired(NOW)).isEqualTo(1);
            assertThat(index.faceCount()).isEqualTo(2);
        }
    }

    @Test
    void deleteRemovesEveryFaceOfAnEntryAndUpsertDoesNotDuplicate() {
        Random r = new Random(3);
        float[] q = random(r);
        try (LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            Instant exp = NOW.plus(Duration.ofDays(1));
            index.upsert(entry("a", exp), "a1", q);
            index.upsert(entry("a", exp), "a1", q); // same face again
            index.upsert(entry("a", exp), "a2", near(q, 0.8f, r));
            index.commit();
            assertThat(index.faceCount()).isEqualTo(2);
            assertThat(index.deleteEntry("entry-a")).isEqualTo(2);
            assertThat(index.search(q, 1, new SearchFilter("model-a", NOW))).isEmpty();
        }
    }

    @Test
    void readOnlyViewSeesCommitsOfTheWriter(@TempDir Path dir) {
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
            assertThat(new Matcher(index, new MatchPolicy("model-a", 0.5f, 0.4f, 3)).bestMatch(q, NOW)).isEmpty();
            assertThat(new Matcher(index, new MatchPolicy("model-a", 0.4f, 0.4f, 3)).bestMatch(q, NOW)).isPresent();
        }
        assertThatThrownBy(() -> new MatchPolicy("model-a", 0.3f, 0.4f, 3))
                .hasMessageContaining("threshold 0.3");
    }

    @Test
    void entriesRequireProvenanceAndAValidExternalId() {
        assertThatThrownBy(() -> new WatchlistEntry("e", "ok", "me", NOW, " ", NOW.plusSeconds(1), "m"))
                .hasMessageContaining("legalBasis");
        assertThatThrownBy(() -> new WatchlistEntry("e", "bad id!", "me", NOW, "CASE", NOW.plusSeconds(1), "m"))
                .hasMessageContaining("externalId");
        assertThatThrownBy(() -> new WatchlistEntry("e", "ok", "me", NOW, "CASE", NOW, "m"))
                .hasMessageContaining("expiresAt");
    }

    @Test
    void l2NormalizeRejectsZeroAndProducesUnitVectors() {
        float[] v = VectorMath.l2Normalize(new float[] {3, 4});
        assertThat(v).containsExactly(0.6f, 0.8f);
        assertThatThrownBy(() -> VectorMath.l2Normalize(new float[] {0, 0})).isInstanceOf(IllegalArgumentException.class);
    }
}
