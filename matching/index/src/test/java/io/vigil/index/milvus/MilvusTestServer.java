package io.vigil.index.milvus;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.BoolResponse;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConnectRequest;
import io.milvus.grpc.ConnectResponse;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.DescribeCollectionRequest;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.DescribeIndexRequest;
import io.milvus.grpc.DescribeIndexResponse;
import io.milvus.grpc.DropCollectionRequest;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.GetLoadStateRequest;
import io.milvus.grpc.GetLoadStateResponse;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.GetLoadingProgressResponse;
import io.milvus.grpc.HasCollectionRequest;
import io.milvus.grpc.IDs;
import io.milvus.grpc.IndexDescription;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LoadState;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.Status;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.TemplateValue;
import io.milvus.grpc.UpsertRequest;
import io.milvus.grpc.VectorField;
import io.milvus.shaded.io.grpc.Server;
import io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.milvus.shaded.io.grpc.stub.StreamObserver;
import io.vigil.index.VectorMath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-side Milvus server: the part of the Milvus gRPC protocol that {@link MilvusVectorIndex}
 * uses, served over real gRPC (the SDK's own shaded Netty server and {@code io.milvus.grpc} stubs)
 * so the real {@code MilvusClientV2} talks to it unchanged. Search is an exact scan with the inner
 * product metric, so it also serves as the ground truth of recall. RPCs it does not implement
 * answer UNIMPLEMENTED, which makes a backend change that needs more of the protocol fail loudly.
 *
 * <p>Filter expressions: conjunctions ({@code and}/{@code &&}) of {@code field op value} with op in
 * {@code == != > >= < <=} and values as {@code {template}}, string or integer literals, and of
 * {@code array_contains_any(field, {template})} over an array of strings. Array fields hold
 * strings.
 */
public final class MilvusTestServer implements AutoCloseable {
    private final Map<String, Collection> collections = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private Server server;

    private MilvusTestServer() {}

    private String scheme = "http";

    /** Starts a server on a free loopback port. */
    public static MilvusTestServer start() {
        return start(null);
    }

    /** As {@link #start()}, speaking TLS with the key and certificate of {@code keys}. */
    public static MilvusTestServer startTls(javax.net.ssl.KeyManagerFactory keys) {
        return start(keys);
    }

    private static MilvusTestServer start(javax.net.ssl.KeyManagerFactory keys) {
        MilvusTestServer t = new MilvusTestServer();
        NettyServerBuilder b =
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(t.new Service())
                        .maxInboundMessageSize(64 * 1024 * 1024);
        if (keys != null) {
            try {
                b.sslContext(
                        io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts
                                .configure(
                                        io.milvus.shaded.io.grpc.netty.shaded.io.netty.handler.ssl
                                                .SslContextBuilder.forServer(keys))
                                .build());
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("cannot set up the test server's TLS", e);
            }
            t.scheme = "https";
        }
        t.server = b.build();
        try {
            t.server.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Milvus test server", e);
        }
        return t;
    }

    public String uri() {
        return scheme + "://127.0.0.1:" + server.getPort();
    }

    /** How many times an RPC (e.g. {@code "search"}) was called. */
    /** Searches that carried a range (radius): the server, not the client, cut them. */
    public long rangeSearches() {
        return rangeSearches.get();
    }

    private final java.util.concurrent.atomic.AtomicLong rangeSearches =
            new java.util.concurrent.atomic.AtomicLong();

    private volatile boolean refuseRange;

    /** Answers range searches with an error, as a server version without them would. */
    public void refuseRangeSearch(boolean refuse) {
        refuseRange = refuse;
    }

    public long calls(String rpc) {
        AtomicLong n = calls.get(rpc);
        return n == null ? 0 : n.get();
    }

    /** Rows currently stored in a collection (deleted rows excluded). */
    public int rows(String collection) {
        Collection c = collections.get(collection);
        return c == null ? 0 : c.rows.size();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Collection {
        final CollectionSchema schema;
        final int consistencyLevel;
        final Map<String, IndexDescription> indexes = new LinkedHashMap<>();

        /** Primary key to row (field name to value: String, Long or float[]). */
        final Map<Object, Map<String, Object>> rows = new LinkedHashMap<>();

        volatile boolean loaded;

        Collection(CollectionSchema schema, int consistencyLevel) {
            this.schema = schema;
            this.consistencyLevel = consistencyLevel;
        }

        String primaryKey() {
            return schema.getFieldsList().stream()
                    .filter(FieldSchema::getIsPrimaryKey)
                    .findFirst()
                    .orElseThrow()
                    .getName();
        }

        FieldSchema field(String name) {
            return schema.getFieldsList().stream()
                    .filter(f -> f.getName().equals(name))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "field " + name + " does not exist"));
        }
    }

    private final class Service extends MilvusServiceGrpc.MilvusServiceImplBase {

        private void count(String rpc) {
            calls.computeIfAbsent(rpc, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void connect(ConnectRequest req, StreamObserver<ConnectResponse> out) {
            count("connect");
            reply(out, ConnectResponse.newBuilder().setStatus(ok()).setIdentifier(1).build());
        }

        @Override
        public void hasCollection(HasCollectionRequest req, StreamObserver<BoolResponse> out) {
            count("hasCollection");
            reply(
                    out,
                    BoolResponse.newBuilder()
                            .setStatus(ok())
                            .setValue(collections.containsKey(req.getCollectionName()))
                            .build());
        }

        @Override
        public void createCollection(CreateCollectionRequest req, StreamObserver<Status> out) {
            count("createCollection");
            try {
                CollectionSchema schema = CollectionSchema.parseFrom(req.getSchema());
                if (collections.putIfAbsent(
                                req.getCollectionName(),
                                new Collection(schema, req.getConsistencyLevelValue()))
                        != null) {
                    reply(out, error("collection " + req.getCollectionName() + " already exists"));
                    return;
                }
                reply(out, ok());
            } catch (InvalidProtocolBufferException e) {
                reply(out, error("bad schema: " + e.getMessage()));
            }
        }

        @Override
        public void dropCollection(DropCollectionRequest req, StreamObserver<Status> out) {
            count("dropCollection");
            collections.remove(req.getCollectionName());
            reply(out, ok());
        }

        @Override
        public void describeCollection(
                DescribeCollectionRequest req, StreamObserver<DescribeCollectionResponse> out) {
            count("describeCollection");
            Collection c = collections.get(req.getCollectionName());
            if (c == null) {
                reply(
                        out,
                        DescribeCollectionResponse.newBuilder()
                                .setStatus(
                                        error(
                                                "collection "
                                                        + req.getCollectionName()
                                                        + " not found"))
                                .build());
                return;
            }
            reply(
                    out,
                    DescribeCollectionResponse.newBuilder()
                            .setStatus(ok())
                            .setSchema(c.schema)
                            .setCollectionID(Math.abs(req.getCollectionName().hashCode()))
                            .setCollectionName(req.getCollectionName())
                            .setShardsNum(1)
                            .setConsistencyLevelValue(c.consistencyLevel)
                            .build());
        }

        @Override
        public void createIndex(CreateIndexRequest req, StreamObserver<Status> out) {
            count("createIndex");
            Collection c = collections.get(req.getCollectionName());
            if (c == null) {
                reply(out, error("collection not found"));
                return;
            }
            synchronized (c) {
                c.indexes.put(
                        req.getIndexName(),
                        IndexDescription.newBuilder()
                                .setIndexName(req.getIndexName())
                                .setFieldName(req.getFieldName())
                                .addAllParams(req.getExtraParamsList())
                                .setState(IndexState.Finished)
                                .setIndexedRows(c.rows.size())
                                .setTotalRows(c.rows.size())
                                .build());
            }
            reply(out, ok());
        }

        @Override
        public void describeIndex(
                DescribeIndexRequest req, StreamObserver<DescribeIndexResponse> out) {
            count("describeIndex");
            Collection c = collections.get(req.getCollectionName());
            DescribeIndexResponse.Builder b = DescribeIndexResponse.newBuilder().setStatus(ok());
            if (c != null) {
                synchronized (c) {
                    c.indexes.values().stream()
                            .filter(
                                    d ->
                                            req.getFieldName().isEmpty()
                                                    || d.getFieldName().equals(req.getFieldName()))
                            .forEach(b::addIndexDescriptions);
                }
            }
            reply(out, b.build());
        }

        @Override
        public void loadCollection(LoadCollectionRequest req, StreamObserver<Status> out) {
            count("loadCollection");
            Collection c = collections.get(req.getCollectionName());
            if (c == null) {
                reply(out, error("collection not found"));
                return;
            }
            if (c.indexes.values().stream().noneMatch(d -> isVector(c.field(d.getFieldName())))) {
                reply(
                        out,
                        error("there is no vector index on collection " + req.getCollectionName()));
                return;
            }
            c.loaded = true;
            reply(out, ok());
        }

        @Override
        public void getLoadingProgress(
                GetLoadingProgressRequest req, StreamObserver<GetLoadingProgressResponse> out) {
            count("getLoadingProgress");
            Collection c = collections.get(req.getCollectionName());
            reply(
                    out,
                    GetLoadingProgressResponse.newBuilder()
                            .setStatus(ok())
                            .setProgress(c != null && c.loaded ? 100 : 0)
                            .setRefreshProgress(100)
                            .build());
        }

        @Override
        public void getLoadState(
                GetLoadStateRequest req, StreamObserver<GetLoadStateResponse> out) {
            count("getLoadState");
            Collection c = collections.get(req.getCollectionName());
            LoadState state =
                    c == null
                            ? LoadState.LoadStateNotExist
                            : c.loaded ? LoadState.LoadStateLoaded : LoadState.LoadStateNotLoad;
            reply(out, GetLoadStateResponse.newBuilder().setStatus(ok()).setState(state).build());
        }

        @Override
        public void upsert(UpsertRequest req, StreamObserver<MutationResult> out) {
            count("upsert");
            Collection c = collections.get(req.getCollectionName());
            if (c == null) {
                reply(
                        out,
                        MutationResult.newBuilder()
                                .setStatus(error("collection not found"))
                                .build());
                return;
            }
            try {
                List<Object> keys = new ArrayList<>();
                synchronized (c) {
                    for (Map<String, Object> row :
                            rowsOf(c, req.getFieldsDataList(), req.getNumRows())) {
                        Object pk = row.get(c.primaryKey());
                        c.rows.put(pk, row);
                        keys.add(pk);
                    }
                }
                reply(
                        out,
                        MutationResult.newBuilder()
                                .setStatus(ok())
                                .setIDs(ids(keys))
                                .setUpsertCnt(keys.size())
                                .setTimestamp(System.currentTimeMillis() << 18)
                                .build());
            } catch (RuntimeException e) {
                reply(out, MutationResult.newBuilder().setStatus(error(e.getMessage())).build());
            }
        }

        @Override
        public void delete(DeleteRequest req, StreamObserver<MutationResult> out) {
            count("delete");
            Collection c = collections.get(req.getCollectionName());
            if (c == null) {
                reply(
                        out,
                        MutationResult.newBuilder()
                                .setStatus(error("collection not found"))
                                .build());
                return;
            }
            try {
                Predicate<Map<String, Object>> filter =
                        parse(req.getExpr(), req.getExprTemplateValuesMap());
                long removed;
                synchronized (c) {
                    int before = c.rows.size();
                    c.rows.values().removeIf(filter);
                    removed = before - c.rows.size();
                }
                reply(
                        out,
                        MutationResult.newBuilder()
                                .setStatus(ok())
                                .setDeleteCnt(removed)
                                .setTimestamp(System.currentTimeMillis() << 18)
                                .build());
            } catch (RuntimeException e) {
                reply(out, MutationResult.newBuilder().setStatus(error(e.getMessage())).build());
            }
        }

        @Override
        public void query(QueryRequest req, StreamObserver<QueryResults> out) {
            count("query");
            Collection c = collections.get(req.getCollectionName());
            if (c == null || !c.loaded) {
                reply(
                        out,
                        QueryResults.newBuilder()
                                .setStatus(error("collection not loaded"))
                                .build());
                return;
            }
            try {
                Predicate<Map<String, Object>> filter =
                        parse(req.getExpr(), req.getExprTemplateValuesMap());
                long limit = Long.MAX_VALUE;
                for (KeyValuePair kv : req.getQueryParamsList()) {
                    if (kv.getKey().equals("limit")) {
                        limit = Long.parseLong(kv.getValue());
                    }
                }
                List<Map<String, Object>> matched;
                synchronized (c) {
                    matched = c.rows.values().stream().filter(filter).limit(limit).toList();
                }
                QueryResults.Builder b =
                        QueryResults.newBuilder()
                                .setStatus(ok())
                                .setCollectionName(req.getCollectionName())
                                .setPrimaryFieldName(c.primaryKey());
                if (req.getOutputFieldsList().contains("count(*)")) {
                    b.addOutputFields("count(*)")
                            .addFieldsData(
                                    FieldData.newBuilder()
                                            .setFieldName("count(*)")
                                            .setType(DataType.Int64)
                                            .setScalars(
                                                    ScalarField.newBuilder()
                                                            .setLongData(
                                                                    LongArray.newBuilder()
                                                                            .addData(
                                                                                    matched
                                                                                            .size())))
                                            .build());
                } else {
                    for (String name : req.getOutputFieldsList()) {
                        b.addOutputFields(name).addFieldsData(column(c.field(name), matched));
                    }
                }
                reply(out, b.build());
            } catch (RuntimeException e) {
                reply(out, QueryResults.newBuilder().setStatus(error(e.getMessage())).build());
            }
        }

        @Override
        public void search(SearchRequest req, StreamObserver<SearchResults> out) {
            count("search");
            Collection c = collections.get(req.getCollectionName());
            if (c == null || !c.loaded) {
                reply(
                        out,
                        SearchResults.newBuilder()
                                .setStatus(error("collection not loaded"))
                                .build());
                return;
            }
            try {
                Map<String, String> params = new HashMap<>();
                req.getSearchParamsList().forEach(kv -> params.put(kv.getKey(), kv.getValue()));
                if (!"IP".equals(params.get("metric_type"))) {
                    throw new IllegalArgumentException(
                            "only the IP metric is served, got " + params.get("metric_type"));
                }
                String annsField = params.get("anns_field");
                int topK = Integer.parseInt(params.getOrDefault("topk", "10"));
                String groupBy = params.get("group_by_field");
                // Range search: the SDK sends its params as JSON; IP keeps radius < score.
                double radius = Double.NEGATIVE_INFINITY;
                String json = params.get("params");
                java.util.regex.Matcher m =
                        json == null
                                ? null
                                : java.util.regex.Pattern.compile("\"radius\"\\s*:\\s*([-0-9.eE]+)")
                                        .matcher(json);
                if (m != null && m.find()) {
                    if (refuseRange) {
                        throw new IllegalArgumentException(
                                "range search is not supported with grouping search");
                    }
                    radius = Double.parseDouble(m.group(1));
                    rangeSearches.incrementAndGet();
                }
                Predicate<Map<String, Object>> filter =
                        parse(req.getDsl(), req.getExprTemplateValuesMap());
                PlaceholderValue queries =
                        PlaceholderGroup.parseFrom(req.getPlaceholderGroup()).getPlaceholders(0);

                List<Map<String, Object>> candidates;
                synchronized (c) {
                    candidates = c.rows.values().stream().filter(filter).toList();
                }
                SearchResultData.Builder data =
                        SearchResultData.newBuilder()
                                .setNumQueries(queries.getValuesCount())
                                .setTopK(topK)
                                .setPrimaryFieldName(c.primaryKey());
                List<Object> ids = new ArrayList<>();
                List<Map<String, Object>> resultRows = new ArrayList<>();
                for (ByteString q : queries.getValuesList()) {
                    float[] query = floats(q);
                    List<Scored> scored = new ArrayList<>();
                    for (Map<String, Object> row : candidates) {
                        scored.add(new Scored(row, dot(query, (float[]) row.get(annsField))));
                    }
                    scored.sort(Comparator.comparingDouble((Scored s) -> -s.score));
                    List<Scored> top = new ArrayList<>();
                    java.util.Set<Object> groups = new java.util.HashSet<>();
                    for (Scored s : scored) {
                        if (top.size() == topK) {
                            break;
                        }
                        if (s.score <= radius) {
                            break;
                        }
                        if (groupBy == null || groups.add(s.row.get(groupBy))) {
                            top.add(s);
                        }
                    }
                    data.addTopks(top.size());
                    for (Scored s : top) {
                        data.addScores(s.score);
                        ids.add(s.row.get(c.primaryKey()));
                        resultRows.add(s.row);
                    }
                }
                data.setIds(ids(ids));
                for (String name : req.getOutputFieldsList()) {
                    data.addOutputFields(name).addFieldsData(column(c.field(name), resultRows));
                }
                reply(
                        out,
                        SearchResults.newBuilder()
                                .setStatus(ok())
                                .setResults(data)
                                .setCollectionName(req.getCollectionName())
                                .build());
            } catch (RuntimeException | InvalidProtocolBufferException e) {
                reply(
                        out,
                        SearchResults.newBuilder()
                                .setStatus(error(String.valueOf(e.getMessage())))
                                .build());
            }
        }
    }

    private record Scored(Map<String, Object> row, float score) {}

    private static boolean isVector(FieldSchema f) {
        return f.getDataType() == DataType.FloatVector;
    }

    private static int dim(FieldSchema f) {
        return f.getTypeParamsList().stream()
                .filter(kv -> kv.getKey().equals("dim"))
                .findFirst()
                .map(kv -> Integer.parseInt(kv.getValue()))
                .orElseThrow();
    }

    /** Decodes column-oriented insert data into rows, checking every schema field is present. */
    private static List<Map<String, Object>> rowsOf(
            Collection c, List<FieldData> columns, int numRows) {
        Map<String, FieldData> byName = new HashMap<>();
        columns.forEach(fd -> byName.put(fd.getFieldName(), fd));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < numRows; i++) {
            rows.add(new HashMap<>());
        }
        for (FieldSchema f : c.schema.getFieldsList()) {
            FieldData fd = byName.get(f.getName());
            if (fd == null) {
                throw new IllegalArgumentException("field " + f.getName() + " is missing");
            }
            for (int i = 0; i < numRows; i++) {
                Object v =
                        switch (f.getDataType()) {
                            case VarChar -> fd.getScalars().getStringData().getData(i);
                            case Int64 -> fd.getScalars().getLongData().getData(i);
                            case Array -> {
                                if (f.getElementType() != DataType.VarChar) {
                                    throw new IllegalArgumentException(
                                            "array of " + f.getElementType() + " not served");
                                }
                                yield List.copyOf(
                                        fd.getScalars()
                                                .getArrayData()
                                                .getData(i)
                                                .getStringData()
                                                .getDataList());
                            }
                            case FloatVector -> {
                                int dim = dim(f);
                                if (fd.getVectors().getDim() != dim) {
                                    throw new IllegalArgumentException(
                                            "vector dim "
                                                    + fd.getVectors().getDim()
                                                    + " != "
                                                    + dim);
                                }
                                float[] vec = new float[dim];
                                for (int d = 0; d < dim; d++) {
                                    vec[d] = fd.getVectors().getFloatVector().getData(i * dim + d);
                                }
                                yield vec;
                            }
                            default ->
                                    throw new IllegalArgumentException(
                                            "type " + f.getDataType() + " not served");
                        };
                rows.get(i).put(f.getName(), v);
            }
        }
        return rows;
    }

    private static FieldData column(FieldSchema f, List<Map<String, Object>> rows) {
        FieldData.Builder b =
                FieldData.newBuilder()
                        .setFieldName(f.getName())
                        .setType(f.getDataType())
                        .setFieldId(f.getFieldID());
        switch (f.getDataType()) {
            case VarChar -> {
                StringArray.Builder s = StringArray.newBuilder();
                rows.forEach(r -> s.addData((String) r.get(f.getName())));
                b.setScalars(ScalarField.newBuilder().setStringData(s));
            }
            case Int64 -> {
                LongArray.Builder l = LongArray.newBuilder();
                rows.forEach(r -> l.addData((Long) r.get(f.getName())));
                b.setScalars(ScalarField.newBuilder().setLongData(l));
            }
            case Array -> {
                ArrayArray.Builder a = ArrayArray.newBuilder().setElementType(f.getElementType());
                rows.forEach(
                        r -> {
                            @SuppressWarnings("unchecked")
                            List<String> values = (List<String>) r.get(f.getName());
                            a.addData(
                                    ScalarField.newBuilder()
                                            .setStringData(
                                                    StringArray.newBuilder().addAllData(values)));
                        });
                b.setScalars(ScalarField.newBuilder().setArrayData(a));
            }
            case FloatVector -> {
                FloatArray.Builder fa = FloatArray.newBuilder();
                rows.forEach(
                        r -> {
                            for (float v : (float[]) r.get(f.getName())) {
                                fa.addData(v);
                            }
                        });
                b.setVectors(VectorField.newBuilder().setDim(dim(f)).setFloatVector(fa));
            }
            default ->
                    throw new IllegalArgumentException("type " + f.getDataType() + " not served");
        }
        return b.build();
    }

    private static IDs ids(List<Object> keys) {
        if (!keys.isEmpty() && keys.get(0) instanceof Long) {
            LongArray.Builder l = LongArray.newBuilder();
            keys.forEach(k -> l.addData((Long) k));
            return IDs.newBuilder().setIntId(l).build();
        }
        StringArray.Builder s = StringArray.newBuilder();
        keys.forEach(k -> s.addData((String) k));
        return IDs.newBuilder().setStrId(s).build();
    }

    private static float[] floats(ByteString bytes) {
        ByteBuffer buf = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[buf.remaining() / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getFloat();
        }
        return v;
    }

    private static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("query dim " + a.length + " != " + b.length);
        }
        return VectorMath.dot(a, b);
    }

    private static final Pattern CLAUSE =
            Pattern.compile(
                    "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(==|!=|>=|<=|>|<)\\s*(\\{[A-Za-z0-9_]+}|\"[^\"]*\"|-?\\d+)\\s*");

    private static final Pattern CONTAINS_ANY =
            Pattern.compile(
                    "\\s*array_contains_any\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*,\\s*(\\{[A-Za-z0-9_]+})\\s*\\)\\s*");

    /**
     * Parses the conjunctive subset of Milvus boolean expressions described in the class comment.
     */
    static Predicate<Map<String, Object>> parse(String expr, Map<String, TemplateValue> templates) {
        Predicate<Map<String, Object>> all = row -> true;
        if (expr == null || expr.isBlank()) {
            return all;
        }
        for (String part : expr.split("(?i)\\s+and\\s+|&&")) {
            Matcher any = CONTAINS_ANY.matcher(part);
            if (any.matches()) {
                String field = any.group(1);
                Object wanted = literal(any.group(2), templates);
                if (!(wanted instanceof List<?> values)) {
                    throw new IllegalArgumentException(
                            "array_contains_any needs an array, got " + wanted);
                }
                all =
                        all.and(
                                row -> {
                                    if (!(row.get(field) instanceof List<?> held)) {
                                        throw new IllegalArgumentException(
                                                "field " + field + " is not an array");
                                    }
                                    return held.stream().anyMatch(values::contains);
                                });
                continue;
            }
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("unsupported expression: '" + part.trim() + "'");
            }
            String field = m.group(1);
            String op = m.group(2);
            Object value = literal(m.group(3), templates);
            all = all.and(row -> compare(row.get(field), op, value, field));
        }
        return all;
    }

    private static Object literal(String token, Map<String, TemplateValue> templates) {
        if (token.startsWith("{")) {
            TemplateValue t = templates.get(token.substring(1, token.length() - 1));
            if (t == null) {
                throw new IllegalArgumentException("no template value for " + token);
            }
            return switch (t.getValCase()) {
                case INT64_VAL -> t.getInt64Val();
                case STRING_VAL -> t.getStringVal();
                case ARRAY_VAL -> List.copyOf(t.getArrayVal().getStringData().getDataList());
                default ->
                        throw new IllegalArgumentException(
                                "template type " + t.getValCase() + " not served");
            };
        }
        if (token.startsWith("\"")) {
            return token.substring(1, token.length() - 1);
        }
        return Long.parseLong(token);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean compare(Object actual, String op, Object expected, String field) {
        if (actual == null) {
            throw new IllegalArgumentException("field " + field + " does not exist");
        }
        if (actual.getClass() != expected.getClass()) {
            throw new IllegalArgumentException("cannot compare " + field + " with " + expected);
        }
        int cmp = ((Comparable) actual).compareTo(expected);
        return switch (op) {
            case "==" -> cmp == 0;
            case "!=" -> cmp != 0;
            case ">" -> cmp > 0;
            case ">=" -> cmp >= 0;
            case "<" -> cmp < 0;
            default -> cmp <= 0;
        };
    }

    private static Status ok() {
        return Status.newBuilder().setCode(0).setErrorCode(ErrorCode.Success).build();
    }

    private static Status error(String reason) {
        return Status.newBuilder()
                .setCode(1100)
                .setErrorCode(ErrorCode.IllegalArgument)
                .setReason(reason)
                .build();
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }
}
