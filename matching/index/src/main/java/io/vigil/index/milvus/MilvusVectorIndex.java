package io.vigil.index.milvus;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import io.vigil.index.IndexedEntry;
import io.vigil.index.SearchFilter;
import io.vigil.index.SearchHit;
import io.vigil.index.VectorIndex;
import io.vigil.index.VectorMath;
import io.vigil.index.WatchlistEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchlist on Milvus, through the official Java SDK v2 ({@link MilvusClientV2}).
 *
 * <p>One row per enrolled face: {@code face_id} (primary key), {@code entry_id}, {@code
 * external_id}, {@code enrolled_by}, {@code enrolled_at}, {@code legal_basis}, {@code expires_at},
 * {@code model_id}, {@code purposes}, {@code cameras} (the entry's, or {@code *} for any) and the
 * {@code vector}. Vectors are unit length and the metric is inner product, which equals cosine
 * similarity, so scores mean the same as with the Lucene index. Model id, expiry, purposes and
 * cameras are filter expressions evaluated inside the search, and results are grouped by {@code
 * entry_id} on the server, so one person with many photos fills one slot of top-k.
 *
 * <p>Filter values travel as expression templates ({@code model_id == {model}}), never spliced into
 * the expression text, so an id can never change the meaning of a filter.
 */
public final class MilvusVectorIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(MilvusVectorIndex.class);

    static final String F_FACE_ID = "face_id";
    static final String F_ENTRY_ID = "entry_id";
    static final String F_EXTERNAL_ID = "external_id";
    static final String F_ENROLLED_BY = "enrolled_by";
    static final String F_ENROLLED_AT = "enrolled_at";
    static final String F_LEGAL_BASIS = "legal_basis";
    static final String F_EXPIRES_AT = "expires_at";
    static final String F_PURPOSES = "purposes";

    /** The cameras an entry may be matched on, or {@link WatchlistEntry#ANY_CAMERA}. */
    static final String F_CAMERAS = "cameras";

    static final String F_MODEL_ID = "model_id";
    static final String F_VECTOR = "vector";
    static final List<String> METADATA =
            List.of(
                    F_FACE_ID,
                    F_ENTRY_ID,
                    F_EXTERNAL_ID,
                    F_ENROLLED_BY,
                    F_ENROLLED_AT,
                    F_LEGAL_BASIS,
                    F_EXPIRES_AT,
                    F_MODEL_ID,
                    F_PURPOSES,
                    F_CAMERAS);

    /** Milvus caps offset + limit of one query at 16384. */
    static final int QUERY_WINDOW = 16_384;

    private final MilvusSettings settings;
    private final MilvusClientV2 client;

    private MilvusVectorIndex(MilvusSettings settings, MilvusClientV2 client) {
        this.settings = settings;
        this.client = client;
    }

    /**
     * Connects, creates the collection and its indexes if absent, checks the schema, and loads it.
     */
    public static MilvusVectorIndex connect(MilvusSettings settings) {
        return connect(settings, 10_000);
    }

    /** As {@link #connect(MilvusSettings)}, giving up on the connection after the given time. */
    static MilvusVectorIndex connect(MilvusSettings settings, long connectTimeoutMs) {
        ConnectConfig.ConnectConfigBuilder cfg =
                ConnectConfig.builder()
                        .uri(settings.uri())
                        .connectTimeoutMs(connectTimeoutMs)
                        .rpcDeadlineMs(30_000);
        if (!settings.token().isEmpty()) {
            cfg.token(settings.token());
        }
        if (!settings.trustedCertFile().isEmpty()) {
            // One-way TLS trusting this certificate or CA (an https uri turns TLS on by itself).
            // The SDK then checks the certificate against serverName, which it needs set.
            cfg.serverPemPath(settings.trustedCertFile())
                    .serverName(java.net.URI.create(settings.uri()).getHost());
        }
        if (!settings.database().isEmpty()) {
            cfg.dbName(settings.database());
        }
        MilvusClientV2 client;
        try {
            client = new MilvusClientV2(cfg.build());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot connect to Milvus at " + settings.uri() + ": " + e.getMessage(), e);
        }
        try {
            MilvusVectorIndex index = new MilvusVectorIndex(settings, client);
            index.ensureCollection();
            return index;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void ensureCollection() {
        String name = settings.collection();
        boolean exists =
                client.hasCollection(HasCollectionReq.builder().collectionName(name).build());
        if (!exists) {
            LOG.info(
                    "Creating Milvus collection {} ({}-d, {}, consistency {})",
                    name,
                    settings.dimension(),
                    settings.indexType(),
                    settings.consistency());
            try {
                client.createCollection(
                        CreateCollectionReq.builder()
                                .collectionName(name)
                                .description(
                                        "Vigil watchlist faces (embeddings and metadata only,"
                                                + " never photos)")
                                .collectionSchema(schema())
                                .indexParams(indexParams())
                                .consistencyLevel(settings.consistency())
                                .build());
            } catch (RuntimeException e) {
                // Several writers starting at once (the subtasks of a cluster import) race to
                // create it: the losers check the winner's schema instead.
                if (!client.hasCollection(
                        HasCollectionReq.builder().collectionName(name).build())) {
                    throw e;
                }
                LOG.info("Milvus collection {} was created meanwhile by another writer", name);
                checkSchema(
                        client.describeCollection(
                                DescribeCollectionReq.builder().collectionName(name).build()));
            }
        } else {
            checkSchema(
                    client.describeCollection(
                            DescribeCollectionReq.builder().collectionName(name).build()));
        }
        client.loadCollection(
                LoadCollectionReq.builder()
                        .collectionName(name)
                        .sync(true)
                        .timeout(120_000L)
                        .build());
    }

    private CreateCollectionReq.CollectionSchema schema() {
        CreateCollectionReq.CollectionSchema schema =
                CreateCollectionReq.CollectionSchema.builder().enableDynamicField(false).build();
        schema.addField(varchar(F_FACE_ID, 64).isPrimaryKey(true).autoID(false).build());
        schema.addField(varchar(F_ENTRY_ID, 64).build());
        schema.addField(varchar(F_EXTERNAL_ID, 255).build());
        schema.addField(varchar(F_ENROLLED_BY, 255).build());
        schema.addField(
                AddFieldReq.builder().fieldName(F_ENROLLED_AT).dataType(DataType.Int64).build());
        schema.addField(varchar(F_LEGAL_BASIS, 1024).build());
        schema.addField(
                AddFieldReq.builder().fieldName(F_EXPIRES_AT).dataType(DataType.Int64).build());
        schema.addField(varchar(F_MODEL_ID, 128).build());
        schema.addField(
                AddFieldReq.builder()
                        .fieldName(F_PURPOSES)
                        .dataType(DataType.Array)
                        .elementType(DataType.VarChar)
                        .maxCapacity(WatchlistEntry.MAX_PURPOSES)
                        .maxLength(WatchlistEntry.MAX_PURPOSE_LENGTH)
                        .build());
        schema.addField(
                AddFieldReq.builder()
                        .fieldName(F_CAMERAS)
                        .dataType(DataType.Array)
                        .elementType(DataType.VarChar)
                        .maxCapacity(WatchlistEntry.MAX_CAMERAS)
                        .maxLength(255)
                        .build());
        schema.addField(
                AddFieldReq.builder()
                        .fieldName(F_VECTOR)
                        .dataType(DataType.FloatVector)
                        .dimension(settings.dimension())
                        .build());
        return schema;
    }

    private static AddFieldReq.AddFieldReqBuilder<?> varchar(String name, int maxLength) {
        return AddFieldReq.builder()
                .fieldName(name)
                .dataType(DataType.VarChar)
                .maxLength(maxLength);
    }

    private List<IndexParam> indexParams() {
        Map<String, Object> extra = new HashMap<>();
        if (settings.indexType() == IndexParam.IndexType.HNSW) {
            extra.put("M", settings.hnswM());
            extra.put("efConstruction", settings.hnswEfConstruction());
        } else {
            extra.put("nlist", settings.ivfNlist());
        }
        List<IndexParam> params = new ArrayList<>();
        params.add(
                IndexParam.builder()
                        .fieldName(F_VECTOR)
                        .indexName(F_VECTOR + "_idx")
                        .indexType(settings.indexType())
                        .metricType(IndexParam.MetricType.IP)
                        .extraParams(extra)
                        .build());
        // Scalar indexes keep the filters cheap when a watchlist holds several models or many
        // expired rows.
        for (String scalar : List.of(F_ENTRY_ID, F_MODEL_ID, F_EXPIRES_AT)) {
            params.add(
                    IndexParam.builder()
                            .fieldName(scalar)
                            .indexName(scalar + "_idx")
                            .indexType(IndexParam.IndexType.INVERTED)
                            .build());
        }
        return params;
    }

    private void checkSchema(DescribeCollectionResp desc) {
        Map<String, CreateCollectionReq.FieldSchema> fields = new HashMap<>();
        for (CreateCollectionReq.FieldSchema f : desc.getCollectionSchema().getFieldSchemaList()) {
            fields.put(f.getName(), f);
        }
        for (String required : METADATA) {
            if (!fields.containsKey(required)) {
                throw new IllegalStateException(
                        "Milvus collection '"
                                + settings.collection()
                                + "' exists but has no field '"
                                + required
                                + "'; it was not created by Vigil");
            }
        }
        CreateCollectionReq.FieldSchema vector = fields.get(F_VECTOR);
        if (vector == null
                || vector.getDimension() == null
                || vector.getDimension() != settings.dimension()) {
            throw new IllegalStateException(
                    "Milvus collection '"
                            + settings.collection()
                            + "' holds "
                            + (vector == null
                                    ? "no vector field"
                                    : vector.getDimension() + "-d vectors")
                            + " but the embedder produces "
                            + settings.dimension()
                            + "-d ones; use another collection");
        }
    }

    @Override
    public void upsert(WatchlistEntry entry, String faceId, float[] embedding) {
        if (embedding.length != settings.dimension()) {
            throw new IllegalArgumentException(
                    "embedding has "
                            + embedding.length
                            + " dimensions, collection expects "
                            + settings.dimension());
        }
        JsonObject row = new JsonObject();
        row.addProperty(F_FACE_ID, faceId);
        row.addProperty(F_ENTRY_ID, entry.entryId());
        row.addProperty(F_EXTERNAL_ID, entry.externalId());
        row.addProperty(F_ENROLLED_BY, entry.enrolledBy());
        row.addProperty(F_ENROLLED_AT, entry.enrolledAt().toEpochMilli());
        row.addProperty(F_LEGAL_BASIS, entry.legalBasis());
        row.addProperty(F_EXPIRES_AT, entry.expiresAt().toEpochMilli());
        row.addProperty(F_MODEL_ID, entry.modelId());
        JsonArray purposes = new JsonArray();
        entry.purposes().forEach(purposes::add);
        row.add(F_PURPOSES, purposes);
        JsonArray cameras = new JsonArray();
        entry.cameraTokens().forEach(cameras::add);
        row.add(F_CAMERAS, cameras);
        JsonArray vec = new JsonArray(embedding.length);
        for (float v : VectorMath.l2Normalize(embedding)) {
            vec.add(v);
        }
        row.add(F_VECTOR, vec);
        client.upsert(
                UpsertReq.builder()
                        .collectionName(settings.collection())
                        .data(List.of(row))
                        .build());
    }

    @Override
    public long deleteEntry(String entryId) {
        return delete(F_ENTRY_ID + " == {entry}", Map.of("entry", entryId));
    }

    @Override
    public long purgeExpired(Instant now) {
        return delete(F_EXPIRES_AT + " <= {now}", Map.of("now", now.toEpochMilli()));
    }

    /**
     * Deletes rows matching the filter. The count is taken by a query first, because a Milvus
     * delete by expression reports the number of rows it was asked to consider, not removed.
     */
    private long delete(String filter, Map<String, Object> values) {
        long count = query(filter, values, List.of(F_FACE_ID)).size();
        if (count > 0) {
            client.delete(
                    DeleteReq.builder()
                            .collectionName(settings.collection())
                            .filter(filter)
                            .filterTemplateValues(values)
                            .build());
        }
        return count;
    }

    @Override
    public Optional<IndexedEntry> entry(String entryId) {
        List<IndexedEntry> found =
                group(query(F_ENTRY_ID + " == {entry}", Map.of("entry", entryId), METADATA));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<IndexedEntry> entries() {
        List<QueryResp.QueryResult> rows = query(F_FACE_ID + " != \"\"", Map.of(), METADATA);
        if (rows.size() >= QUERY_WINDOW) {
            LOG.warn(
                    "Milvus watchlist listing stopped at {} faces (the server's query window)",
                    QUERY_WINDOW);
        }
        return group(rows);
    }

    private List<QueryResp.QueryResult> query(
            String filter, Map<String, Object> values, List<String> fields) {
        return client.query(
                        QueryReq.builder()
                                .collectionName(settings.collection())
                                .filter(filter)
                                .filterTemplateValues(values)
                                .outputFields(fields)
                                .limit(QUERY_WINDOW)
                                .consistencyLevel(settings.consistency())
                                .build())
                .getQueryResults();
    }

    private static List<IndexedEntry> group(List<QueryResp.QueryResult> rows) {
        List<Map.Entry<WatchlistEntry, String>> faces = new ArrayList<>();
        for (QueryResp.QueryResult row : rows) {
            faces.add(Map.entry(toEntry(row.getEntity()), (String) row.getEntity().get(F_FACE_ID)));
        }
        return IndexedEntry.group(faces);
    }

    @Override
    public List<SearchHit> search(float[] query, int k, SearchFilter filter) {
        return search(query, k, filter, null);
    }

    /**
     * A range search on the server: only faces above the bound come back, grouped by entry, so
     * nothing below the threshold crosses the network.
     */
    @Override
    public List<SearchHit> searchAbove(
            float[] query, int k, float minSimilarity, SearchFilter filter) {
        // The server's bound is exclusive (radius < score); the exact one is applied here.
        List<SearchHit> hits;
        if (rangeSearch) {
            try {
                hits = search(query, k, filter, minSimilarity - RADIUS_SLACK);
            } catch (RuntimeException e) {
                // A server that cannot range-search a grouped search: the same answer, cut here.
                rangeSearch = false;
                LOG.warn(
                        "Milvus refused a range search ({}); searching without the bound and"
                                + " cutting at the threshold on the client from now on",
                        e.getMessage());
                hits = search(query, k, filter, null);
            }
        } else {
            hits = search(query, k, filter, null);
        }
        return hits.stream().filter(h -> h.similarity() >= minSimilarity).toList();
    }

    private volatile boolean rangeSearch = true;

    /** Below the threshold by this much, so a face lying at the bound is not lost to rounding. */
    static final float RADIUS_SLACK = 1e-6f;

    private List<SearchHit> search(float[] query, int k, SearchFilter filter, Float radius) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        List<Float> vector = new ArrayList<>(query.length);
        for (float v : VectorMath.l2Normalize(query)) {
            vector.add(v);
        }
        Map<String, Object> params = new HashMap<>();
        if (settings.indexType() == IndexParam.IndexType.HNSW) {
            params.put("ef", Math.max(settings.searchEf(), k));
        } else {
            params.put("nprobe", settings.ivfNprobe());
        }
        if (radius != null) {
            params.put("radius", radius);
        }
        SearchResp resp =
                client.search(
                        SearchReq.builder()
                                .collectionName(settings.collection())
                                .annsField(F_VECTOR)
                                .metricType(IndexParam.MetricType.IP)
                                .data(List.of(new FloatVec(vector)))
                                .limit(k)
                                .filter(
                                        F_MODEL_ID
                                                + " == {model} and "
                                                + F_EXPIRES_AT
                                                + " > {now} and array_contains_any("
                                                + F_PURPOSES
                                                + ", {purposes}) and array_contains_any("
                                                + F_CAMERAS
                                                + ", {cameras})")
                                .filterTemplateValues(
                                        Map.of(
                                                "model",
                                                filter.modelId(),
                                                "now",
                                                filter.now().toEpochMilli(),
                                                "purposes",
                                                List.copyOf(new TreeSet<>(filter.purposes())),
                                                "cameras",
                                                List.copyOf(new TreeSet<>(filter.cameras()))))
                                .groupByFieldName(F_ENTRY_ID)
                                .outputFields(METADATA)
                                .searchParams(params)
                                .consistencyLevel(settings.consistency())
                                .build());
        List<SearchHit> hits = new ArrayList<>();
        for (SearchResp.SearchResult r : resp.getSearchResults().get(0)) {
            Map<String, Object> e = r.getEntity();
            hits.add(new SearchHit(toEntry(e), (String) e.get(F_FACE_ID), r.getScore()));
        }
        hits.sort(Comparator.comparingDouble((SearchHit h) -> -h.similarity()));
        return hits;
    }

    @Override
    public long faceCount() {
        List<QueryResp.QueryResult> rows = query("", Map.of(), List.of("count(*)"));
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).getEntity().get("count(*)")).longValue();
    }

    /**
     * Writes are durable once acknowledged and visible per the consistency level; nothing to do.
     */
    @Override
    public void commit() {}

    @Override
    public void close() {
        client.close();
    }

    private static WatchlistEntry toEntry(Map<String, Object> e) {
        return new WatchlistEntry(
                (String) e.get(F_ENTRY_ID),
                (String) e.get(F_EXTERNAL_ID),
                (String) e.get(F_ENROLLED_BY),
                Instant.ofEpochMilli(((Number) e.get(F_ENROLLED_AT)).longValue()),
                (String) e.get(F_LEGAL_BASIS),
                Instant.ofEpochMilli(((Number) e.get(F_EXPIRES_AT)).longValue()),
                (String) e.get(F_MODEL_ID),
                strings(e.get(F_PURPOSES)),
                WatchlistEntry.fromCameraTokens(strings(e.get(F_CAMERAS))));
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
