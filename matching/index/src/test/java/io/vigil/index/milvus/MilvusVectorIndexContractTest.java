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
}
