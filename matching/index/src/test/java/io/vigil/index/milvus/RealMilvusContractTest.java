package io.vigil.index.milvus;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.vigil.index.VectorIndex;
import io.vigil.index.VectorIndexContract;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contract against a real Milvus, when {@code MILVUS_URI} (and optionally {@code
 * MILVUS_TOKEN}) is set. Each test uses a fresh collection, all dropped afterwards.
 */
@EnabledIfEnvironmentVariable(named = "MILVUS_URI", matches = ".+")
class RealMilvusContractTest extends VectorIndexContract {
    private static final String URI = System.getenv("MILVUS_URI");
    private static final String TOKEN = System.getenv().getOrDefault("MILVUS_TOKEN", "");
    private static final List<String> CREATED = new ArrayList<>();

    @Override
    protected VectorIndex newIndex() {
        String name = "vigil_contract_" + UUID.randomUUID().toString().replace('-', '_');
        CREATED.add(name);
        return MilvusVectorIndex.connect(
                MilvusSettings.defaults(URI, DIM).withToken(TOKEN).withCollection(name));
    }

    @AfterAll
    static void dropCollections() {
        ConnectConfig.ConnectConfigBuilder cfg = ConnectConfig.builder().uri(URI);
        if (!TOKEN.isEmpty()) {
            cfg.token(TOKEN);
        }
        MilvusClientV2 client = new MilvusClientV2(cfg.build());
        try {
            CREATED.forEach(
                    c ->
                            client.dropCollection(
                                    DropCollectionReq.builder().collectionName(c).build()));
        } finally {
            client.close();
        }
    }
}
