package io.vigil.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.index.MatchPolicy;
import io.vigil.index.Matcher;
import io.vigil.index.SearchFilter;
import io.vigil.index.SearchHit;
import io.vigil.index.TestVectors;
import io.vigil.index.VectorMath;
import io.vigil.index.WatchlistEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneVectorIndexTest {
    @Test
    void readOnlyViewSeesEnrolmentsAndRemovalsOfTheWriterAtOnce(@TempDir Path dir) {
        Random r = new Random(4);
        float[] q = TestVectors.random(r);
        try (LuceneVectorIndex writer = LuceneVectorIndex.open(dir)) {
            try (LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(dir)) {
                assertThat(reader.faceCount()).isZero();
                writer.upsert(
                        TestVectors.entry("a", TestVectors.NOW.plus(Duration.ofDays(1))), "a1", q);
                writer.commit();
                assertThat(reader.search(q, 1, TestVectors.filter("model-a", TestVectors.NOW)))
                        .hasSize(1);
                assertThatThrownBy(
                                () ->
                                        reader.upsert(
                                                TestVectors.entry(
                                                        "b", TestVectors.NOW.plusSeconds(60)),
                                                "b",
                                                q))
                        .isInstanceOf(IllegalStateException.class);
                writer.deleteEntry("entry-a");
                assertThat(reader.search(q, 1, TestVectors.filter("model-a", TestVectors.NOW)))
                        .isEmpty();
            }
        }
    }

    @Test
    void sketchPreFilteredSearchAgreesWithTheExactOneAtScale(@TempDir Path dir) {
        // 64-d random vectors: impostor similarities spread widely (sd 0.125), so the threshold
        // region holds real competitors and the pre-filter has to keep the right ones.
        Random r = new Random(6);
        int n = 5000;
        float[][] faces = new float[n][];
        try (LuceneVectorIndex writer = LuceneVectorIndex.open(dir)) {
            for (int i = 0; i < n; i++) {
                faces[i] = TestVectors.random(r);
                writer.upsert(
                        TestVectors.entry("p" + i, TestVectors.NOW.plus(Duration.ofDays(1))),
                        "f" + i,
                        faces[i]);
            }
            writer.commit();
        }
        float threshold = 0.4f;
        SearchFilter filter = TestVectors.filter("model-a", TestVectors.NOW);
        int withMatch = 0;
        int agreed = 0;
        try (LuceneVectorIndex sketched =
                        LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(false, 1));
                LuceneVectorIndex exact =
                        LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(true, 1))) {
            for (int i = 0; i < 600; i++) {
                float cos = 0.4f + 0.5f * (i % 6) / 5f; // 0.40 .. 0.90
                float[] q =
                        i % 2 == 0
                                ? TestVectors.near(faces[r.nextInt(n)], cos, r)
                                : TestVectors.random(r);
                List<SearchHit> truth = exact.searchAbove(q, 3, threshold, filter);
                List<SearchHit> found = sketched.searchAbove(q, 3, threshold, filter);
                for (SearchHit h : found) {
                    int face = Integer.parseInt(h.faceId().substring(1));
                    assertThat(h.similarity()).isGreaterThanOrEqualTo(threshold);
                    assertThat(h.similarity())
                            .isCloseTo(VectorMath.dot(q, faces[face]), within(1e-5f));
                }
                assertThat(truth.stream().map(SearchHit::faceId).toList())
                        .as("the pre-filter only ever drops faces")
                        .containsAll(found.stream().map(SearchHit::faceId).toList());
                if (!truth.isEmpty()) {
                    withMatch++;
                    agreed +=
                            !found.isEmpty() && found.get(0).faceId().equals(truth.get(0).faceId())
                                    ? 1
                                    : 0;
                }
            }
        }
        assertThat(withMatch).isGreaterThan(300);
        assertThat(agreed / (double) withMatch).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void aSearchSplitOverThreadsFindsExactlyWhatOneThreadFinds(@TempDir Path dir) {
        Random r = new Random(8);
        int dim = 16; // small vectors keep a segment big enough to split cheap to build
        int n = LuceneVectorIndex.PARALLEL_MIN_FACES + 5_000;
        float[][] faces = new float[n][];
        try (LuceneVectorIndex writer = LuceneVectorIndex.open(dir)) {
            for (int i = 0; i < n; i++) {
                faces[i] = TestVectors.gaussian(dim, r);
                writer.upsert(
                        TestVectors.entry("p" + i, TestVectors.NOW.plus(Duration.ofDays(1))),
                        "f" + i,
                        faces[i]);
            }
            writer.forceMerge();
        }
        SearchFilter filter = TestVectors.filter("model-a", TestVectors.NOW);
        try (LuceneVectorIndex one =
                        LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(false, 1));
                LuceneVectorIndex two =
                        LuceneVectorIndex.openReadOnly(dir, new LuceneSearch(false, 2))) {
            int nonEmpty = 0;
            for (int i = 0; i < 60; i++) {
                float[] q = faces[r.nextInt(n)].clone();
                for (int d = 0; d < dim; d++) {
                    q[d] += (float) (0.05 * r.nextGaussian());
                }
                List<SearchHit> expected = one.searchAbove(q, 5, 0.9f, filter);
                assertThat(two.searchAbove(q, 5, 0.9f, filter)).isEqualTo(expected);
                nonEmpty += expected.isEmpty() ? 0 : 1;
            }
            assertThat(nonEmpty).isGreaterThan(50);
        }
    }

    @Test
    void matcherAppliesThresholdAndPolicyRejectsThresholdUnderFloor() {
        Random r = new Random(5);
        float[] q = TestVectors.random(r);
        try (LuceneVectorIndex index = LuceneVectorIndex.inMemory()) {
            index.upsert(
                    TestVectors.entry("a", TestVectors.NOW.plus(Duration.ofDays(1))),
                    "a1",
                    TestVectors.near(q, 0.45f, r));
            index.commit();
            assertThat(
                            new Matcher(index, new MatchPolicy("model-a", 0.5f, 0.4f, 3))
                                    .bestMatch(q, TestVectors.NOW, TestVectors.PURPOSES, "cam-1"))
                    .isEmpty();
            assertThat(
                            new Matcher(index, new MatchPolicy("model-a", 0.4f, 0.4f, 3))
                                    .bestMatch(q, TestVectors.NOW, TestVectors.PURPOSES, "cam-1"))
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
                                        "e",
                                        "ok",
                                        "me",
                                        TestVectors.NOW,
                                        " ",
                                        TestVectors.NOW.plusSeconds(1),
                                        "m",
                                        List.of("missing persons")))
                .hasMessageContaining("legalBasis");
        assertThatThrownBy(
                        () ->
                                new WatchlistEntry(
                                        "e",
                                        "bad id!",
                                        "me",
                                        TestVectors.NOW,
                                        "CASE",
                                        TestVectors.NOW.plusSeconds(1),
                                        "m",
                                        List.of("missing persons")))
                .hasMessageContaining("externalId");
        assertThatThrownBy(
                        () ->
                                new WatchlistEntry(
                                        "e",
                                        "ok",
                                        "me",
                                        TestVectors.NOW,
                                        "CASE",
                                        TestVectors.NOW,
                                        "m",
                                        List.of("missing persons")))
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
