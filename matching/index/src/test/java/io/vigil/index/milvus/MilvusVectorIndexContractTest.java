package io.vigil.index.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.index.VectorIndex;
import io.vigil.index.VectorIndexContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract over real gRPC and the real SDK, against the test-side Milvus server. */
class MilvusVectorIndexContractTest extends VectorIndexContract {
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static MilvusTestServer server;

    @BeforeAll
    static void startServer() {
        server = MilvusTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected VectorIndex newIndex() {
        return MilvusVectorIndex.connect(
                MilvusSettings.defaults(server.uri(), DIM)
                        .withCollection("contract_" + COLLECTIONS.incrementAndGet()));
    }

    @Test
    void createsTheCollectionOnceAndChecksTheDimensionOfAnExistingOne() {
        MilvusSettings settings =
                MilvusSettings.defaults(server.uri(), DIM).withCollection("schema_check");
        MilvusVectorIndex.connect(settings).close();
        MilvusVectorIndex.connect(settings).close();
        assertThat(server.calls("createCollection")).isPositive();
        long creates = server.calls("createCollection");
        MilvusVectorIndex.connect(settings).close();
        assertThat(server.calls("createCollection")).isEqualTo(creates);

        MilvusSettings wrongDim =
                MilvusSettings.defaults(server.uri(), DIM * 2).withCollection("schema_check");
        assertThatThrownBy(() -> MilvusVectorIndex.connect(wrongDim))
                .hasMessageContaining("64-d vectors")
                .hasMessageContaining("128-d");
    }

    @Test
    void settingsRejectBadValuesNamingThem() {
        assertThatThrownBy(() -> MilvusSettings.defaults("localhost:19530", DIM))
                .hasMessageContaining("uri");
        assertThatThrownBy(
                        () -> MilvusSettings.defaults(server.uri(), DIM).withCollection("bad-name"))
                .hasMessageContaining("collection");
        assertThatThrownBy(() -> MilvusSettings.parseConsistency("strongest"))
                .hasMessageContaining("STRONG, BOUNDED");
    }

    @Test
    void aSearchAboveTheThresholdIsARangeSearchOnTheServer() {
        try (VectorIndex index = newIndex()) {
            java.util.Random r = new java.util.Random(7);
            float[] base = io.vigil.index.TestVectors.gaussian(DIM, r);
            index.upsert(
                    io.vigil.index.TestVectors.entry(
                            "near", io.vigil.index.TestVectors.NOW.plusSeconds(3600)),
                    "near",
                    io.vigil.index.TestVectors.near(base, 0.8f, r));
            index.upsert(
                    io.vigil.index.TestVectors.entry(
                            "far", io.vigil.index.TestVectors.NOW.plusSeconds(3600)),
                    "far",
                    io.vigil.index.TestVectors.near(base, 0.3f, r));
            index.commit();
            long before = server.rangeSearches();
            var hits =
                    index.searchAbove(
                            base,
                            5,
                            0.5f,
                            io.vigil.index.TestVectors.filter(
                                    "model-a", io.vigil.index.TestVectors.NOW));
            assertThat(hits).extracting(h -> h.faceId()).containsExactly("near");
            assertThat(server.rangeSearches()).isEqualTo(before + 1);
            // A server that refuses range search: the same answer, cut on the client.
            server.refuseRangeSearch(true);
            try {
                assertThat(
                                index.searchAbove(
                                        base,
                                        5,
                                        0.5f,
                                        io.vigil.index.TestVectors.filter(
                                                "model-a", io.vigil.index.TestVectors.NOW)))
                        .extracting(h -> h.faceId())
                        .containsExactly("near");
            } finally {
                server.refuseRangeSearch(false);
            }
        }
    }
}
