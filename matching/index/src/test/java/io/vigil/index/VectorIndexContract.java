package io.vigil.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VectorIndex} must have, run against each backend (Lucene, Milvus over
 * gRPC against the test-side server, and a real Milvus when {@code MILVUS_URI} is set). Scores are
 * checked against cosine similarities computed here, so a backend that ranks right but scores on
 * another scale fails.
 */
public abstract class VectorIndexContract {
    protected static final int DIM = TestVectors.DIM;
    private static final Instant NOW = TestVectors.NOW;
    private static final Instant LATER = NOW.plus(Duration.ofDays(30));
    private static final float EPS = 1e-4f;

    private VectorIndex index;

    /** A new, empty index for {@link #DIM}-dimensional vectors. */
    protected abstract VectorIndex newIndex();

    @BeforeEach
    void open() {
        index = newIndex();
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    private static WatchlistEntry entry(String id) {
        return TestVectors.entry(id, LATER);
    }

    private List<SearchHit> search(float[] q, int k) {
        return index.search(q, k, TestVectors.filter("model-a", NOW));
    }

    @Test
    void searchRanksEntriesByCosineAndReportsExactScores() {
        Random r = new Random(7);
        float[] q = TestVectors.random(r);
        float[][] faces = new float[6][];
        for (int i = 0; i < faces.length; i++) {
            faces[i] = TestVectors.near(q, 0.95f - 0.15f * i, r);
            index.upsert(entry("p" + i), "f" + i, faces[i]);
        }
        index.commit();

        List<SearchHit> hits = search(q, 4);

        assertThat(hits)
                .extracting(h -> h.entry().externalId())
                .containsExactly("p0", "p1", "p2", "p3");
        for (SearchHit h : hits) {
            int i = Integer.parseInt(h.faceId().substring(1));
            assertThat(h.similarity()).isCloseTo(VectorMath.dot(q, faces[i]), within(EPS));
        }
        assertThat(hits)
                .isSortedAccordingTo(Comparator.comparingDouble((SearchHit h) -> -h.similarity()));
    }

    @Test
    void oneHitPerEntryCarryingItsBestFaceAndFullMetadata() {
        Random r = new Random(8);
        float[] q = TestVectors.random(r);
        WatchlistEntry a = entry("alice");
        index.upsert(a, "a1", TestVectors.near(q, 0.5f, r));
        index.upsert(a, "a2", TestVectors.near(q, 0.9f, r));
        index.upsert(a, "a3", TestVectors.near(q, 0.8f, r));
        index.upsert(entry("bob"), "b1", TestVectors.near(q, 0.7f, r));
        index.commit();

        List<SearchHit> hits = search(q, 5);

        assertThat(hits).extracting(SearchHit::faceId).containsExactly("a2", "b1");
        assertThat(hits.get(0).entry()).isEqualTo(a);
        assertThat(hits.get(0).similarity()).isCloseTo(0.9f, within(EPS));
    }

    /** Two faces very near q that a search for model-a at NOW must not return. */
    private void upsertExpiredAndOtherModelNear(float[] q, Random r) {
        index.upsert(TestVectors.entry("expired", NOW), "x1", TestVectors.near(q, 0.99f, r));
        index.upsert(
                TestVectors.entry("other-model", LATER, "model-b"),
                "m1",
                TestVectors.near(q, 0.98f, r));
    }

    @Test
    void filtersOutOtherModelsAndExpiredEntriesInsideTheSearch() {
        Random r = new Random(9);
        float[] q = TestVectors.random(r);
        upsertExpiredAndOtherModelNear(q, r);
        index.upsert(entry("valid"), "v1", TestVectors.near(q, 0.3f, r));
        index.commit();

        assertThat(search(q, 3)).extracting(h -> h.entry().externalId()).containsExactly("valid");
        assertThat(index.search(q, 3, TestVectors.filter("model-b", NOW)))
                .extracting(h -> h.entry().externalId())
                .containsExactly("other-model");
        assertThat(index.search(q, 3, TestVectors.filter("model-a", NOW.minusSeconds(1))))
                .extracting(h -> h.entry().externalId())
                .containsExactly("expired", "valid");
    }

    @Test
    void searchAboveReturnsOnlyHitsAtOrAboveTheBoundWithFiltersAndDeletesApplied() {
        Random r = new Random(15);
        float[] q = TestVectors.random(r);
        index.upsert(entry("high"), "h1", TestVectors.near(q, 0.9f, r));
        index.upsert(entry("just-above"), "j1", TestVectors.near(q, 0.62f, r));
        index.upsert(entry("below"), "b1", TestVectors.near(q, 0.55f, r));
        index.upsert(entry("gone"), "g1", TestVectors.near(q, 0.95f, r));
        upsertExpiredAndOtherModelNear(q, r);
        index.commit();
        index.deleteEntry("entry-gone");
        index.commit();

        List<SearchHit> hits = index.searchAbove(q, 5, 0.6f, TestVectors.filter("model-a", NOW));

        assertThat(hits)
                .extracting(h -> h.entry().externalId())
                .containsExactly("high", "just-above");
        assertThat(hits.get(1).similarity()).isCloseTo(0.62f, within(EPS));
        assertThat(index.searchAbove(q, 5, 0.91f, TestVectors.filter("model-a", NOW))).isEmpty();
    }

    @Test
    void deleteRemovesEveryFaceOfTheEntryFromSearchAndListing() {
        Random r = new Random(10);
        float[] q = TestVectors.random(r);
        index.upsert(entry("gone"), "g1", TestVectors.near(q, 0.9f, r));
        index.upsert(entry("gone"), "g2", TestVectors.near(q, 0.8f, r));
        index.upsert(entry("kept"), "k1", TestVectors.near(q, 0.5f, r));
        index.commit();

        assertThat(index.deleteEntry("entry-gone")).isEqualTo(2);
        index.commit();

        assertThat(search(q, 3)).extracting(SearchHit::faceId).containsExactly("k1");
        assertThat(index.entry("entry-gone")).isEmpty();
        assertThat(index.faceCount()).isEqualTo(1);
        assertThat(index.deleteEntry("entry-gone")).isZero();
    }

    @Test
    void purgeRemovesExactlyTheExpiredEntries() {
        Random r = new Random(11);
        index.upsert(TestVectors.entry("old", NOW.minusSeconds(60)), "o1", TestVectors.random(r));
        index.upsert(TestVectors.entry("old", NOW.minusSeconds(60)), "o2", TestVectors.random(r));
        index.upsert(TestVectors.entry("edge", NOW), "e1", TestVectors.random(r));
        index.upsert(entry("fresh"), "f1", TestVectors.random(r));
        index.commit();

        assertThat(index.purgeExpired(NOW)).isEqualTo(3);
        index.commit();

        assertThat(index.entries())
                .extracting(e -> e.entry().externalId())
                .containsExactly("fresh");
    }

    @Test
    void upsertBySameFaceIdReplacesInsteadOfDuplicating() {
        Random r = new Random(12);
        float[] q = TestVectors.random(r);
        index.upsert(entry("p"), "f", TestVectors.near(q, 0.2f, r));
        index.upsert(entry("p"), "f", TestVectors.near(q, 0.85f, r));
        index.commit();

        assertThat(index.faceCount()).isEqualTo(1);
        assertThat(search(q, 1).get(0).similarity()).isCloseTo(0.85f, within(EPS));
    }

    @Test
    void listsEntriesWithTheirFacesSortedByExternalId() {
        Random r = new Random(13);
        for (String id : List.of("zed", "amy", "max")) {
            IntStream.range(0, id.length() - 1)
                    .forEach(i -> index.upsert(entry(id), id + "-" + i, TestVectors.random(r)));
        }
        index.commit();

        assertThat(index.entries())
                .extracting(e -> e.entry().externalId())
                .containsExactly("amy", "max", "zed");
        IndexedEntry max = index.entry("entry-max").orElseThrow();
        assertThat(max.entry()).isEqualTo(entry("max"));
        assertThat(max.faceIds()).containsExactly("max-0", "max-1");
        assertThat(index.faceCount()).isEqualTo(6);
    }

    @Test
    void emptyIndexFindsNothingAndRejectsBadK() {
        float[] q = TestVectors.random(new Random(14));
        assertThat(search(q, 3)).isEmpty();
        assertThat(index.entries()).isEmpty();
        assertThat(index.faceCount()).isZero();
        assertThatThrownBy(() -> search(q, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryIsMatchedOnlyForItsPurposesAndKeepsThem() {
        Random r = new Random(21);
        float[] q = TestVectors.random(r);
        WatchlistEntry wanted =
                new WatchlistEntry(
                        "entry-wanted",
                        "wanted",
                        "tester",
                        NOW.minusSeconds(60),
                        "CASE-2",
                        LATER,
                        "model-a",
                        List.of("wanted persons", "fugitives"));
        index.upsert(wanted, "w1", TestVectors.near(q, 0.95f, r));
        index.upsert(entry("missing"), "m1", TestVectors.near(q, 0.9f, r));
        index.commit();
        assertThat(index.search(q, 5, TestVectors.filter("model-a", NOW)))
                .extracting(h -> h.entry().externalId())
                .containsExactly("missing");
        assertThat(
                        index.search(
                                q,
                                5,
                                new SearchFilter("model-a", NOW, Set.of("traffic", "fugitives"))))
                .extracting(h -> h.entry().externalId())
                .containsExactly("wanted");
        assertThat(
                        index.searchAbove(
                                q, 5, 0.5f, new SearchFilter("model-a", NOW, Set.of("traffic"))))
                .isEmpty();
        assertThat(index.entry("entry-wanted"))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.entry().purposes())
                                        .containsExactly("fugitives", "wanted persons"));
    }

    @Test
    void anEntryRestrictedToCamerasIsMatchedOnlyOnThoseAndKeepsThem() {
        Random r = new Random(22);
        float[] q = TestVectors.random(r);
        WatchlistEntry warrant =
                new WatchlistEntry(
                        "entry-warrant",
                        "warrant",
                        "tester",
                        NOW.minusSeconds(60),
                        "WARRANT-9 (north district)",
                        LATER,
                        "model-a",
                        List.copyOf(TestVectors.PURPOSES),
                        List.of("cam-north-2", " cam-north-1"));
        assertThat(warrant.cameras()).containsExactly("cam-north-1", "cam-north-2");
        index.upsert(warrant, "w1", TestVectors.near(q, 0.95f, r));
        index.upsert(entry("anywhere"), "a1", TestVectors.near(q, 0.9f, r));
        index.commit();
        for (String camera : List.of("cam-north-1", "cam-north-2")) {
            assertThat(index.search(q, 5, filterOn(camera)))
                    .as(camera)
                    .extracting(h -> h.entry().externalId())
                    .containsExactly("warrant", "anywhere");
        }
        assertThat(index.search(q, 5, filterOn("cam-south-1")))
                .extracting(h -> h.entry().externalId())
                .containsExactly("anywhere");
        // A search for no camera (an investigation) never gets a camera-restricted entry.
        assertThat(index.searchAbove(q, 5, 0.5f, TestVectors.filter("model-a", NOW)))
                .extracting(h -> h.entry().externalId())
                .containsExactly("anywhere");
        assertThat(index.entry("entry-warrant"))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.entry().cameras())
                                        .containsExactly("cam-north-1", "cam-north-2"));
        assertThat(index.entry("entry-anywhere"))
                .hasValueSatisfying(e -> assertThat(e.entry().cameras()).isEmpty());
        assertThatThrownBy(
                        () ->
                                new WatchlistEntry(
                                        "e",
                                        "x",
                                        "tester",
                                        NOW,
                                        "CASE",
                                        LATER,
                                        "model-a",
                                        List.of("p"),
                                        List.of(WatchlistEntry.ANY_CAMERA)))
                .hasMessageContaining("camera id");
    }

    private static SearchFilter filterOn(String camera) {
        return new SearchFilter("model-a", NOW, TestVectors.PURPOSES, camera);
    }
}
