package io.vigil.matching;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded watchlist index on Lucene: one document per enrolled face, holding its metadata, its
 * unit vector and a {@link SignSketch} of it in doc values.
 *
 * <p>A search for faces at or above a similarity (the match threshold) scans the sketches of the
 * wanted model's faces, drops every face whose sketch is too far for that similarity, and compares
 * the few survivors with the query in full; the scores reported are exact. A face lying exactly at
 * the threshold is missed with a probability of at most 2e-3 (measured: 2e-5, see {@link
 * SignSketch}); a search with no similarity bound, or an index opened with {@code exact}, compares
 * every face. This replaced an HNSW graph, which on the same data missed more (recall@1 0.46 at 1M
 * entries), searched slower and took 103 minutes to build 1M entries (docs/benchmarks.md, watchlist
 * search benchmark).
 *
 * <p>Sketches, model ids and expiry times of each segment are read into memory once per segment
 * (136 bytes per face); vectors stay on disk, memory-mapped, and only survivors are read.
 *
 * <p>A writable index holds Lucene's write lock on its directory; {@link #openReadOnly} lets any
 * number of job subtasks search a directory that one enroller writes.
 */
public final class LuceneVectorIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneVectorIndex.class);

    static final String F_FACE_ID = "faceId";
    static final String F_ENTRY_ID = "entryId";
    static final String F_EXTERNAL_ID = "externalId";
    static final String F_ENROLLED_BY = "enrolledBy";
    static final String F_ENROLLED_AT = "enrolledAt";
    static final String F_LEGAL_BASIS = "legalBasis";
    static final String F_EXPIRES_AT = "expiresAt";
    static final String F_MODEL_ID = "modelId";

    /** Doc values of the model id and expiry for the scan. */
    static final String F_MODEL_DV = "modelId.dv";

    static final String F_EXPIRES_DV = "expiresAt.dv";

    /** Unit vector, float32 little-endian, in binary doc values. */
    static final String F_VECTOR = "vector.f32";

    static final String F_SKETCH = "sketch.v" + SignSketch.VERSION;

    private static final VarHandle F32 =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final double RAM_BUFFER_MB = 256;

    /** Segments smaller than this are scanned by one thread: splitting costs more than it saves. */
    public static final int PARALLEL_MIN_FACES = 100_000;

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final boolean exact;
    private final int threads;
    private final ExecutorService pool;
    private final Map<Integer, SignSketch> sketches = new ConcurrentHashMap<>();
    private final Map<Object, Segment> segments = new ConcurrentHashMap<>();

    private LuceneVectorIndex(Directory directory, boolean writable, LuceneSearch search)
            throws IOException {
        this.directory = directory;
        this.exact = search.exact();
        this.threads = search.threads();
        this.pool =
                threads > 1
                        ? Executors.newFixedThreadPool(
                                threads - 1,
                                r -> {
                                    Thread t = new Thread(r, "vigil-watchlist-scan");
                                    t.setDaemon(true);
                                    return t;
                                })
                        : null;
        if (writable) {
            this.writer =
                    new IndexWriter(
                            directory, new IndexWriterConfig().setRAMBufferSizeMB(RAM_BUFFER_MB));
            this.writer.commit();
            this.searchers = new SearcherManager(writer, null);
        } else {
            this.writer = null;
            this.searchers = new SearcherManager(directory, null);
        }
    }

    /** A writable index in a directory (created if absent). */
    public static LuceneVectorIndex open(Path path) {
        return open(path, LuceneSearch.DEFAULT);
    }

    /** A writable index searching as {@code search} says. */
    public static LuceneVectorIndex open(Path path, LuceneSearch search) {
        try {
            return new LuceneVectorIndex(FSDirectory.open(path), true, search);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open watchlist index at " + path, e);
        }
    }

    /** A search-only view of an index some other process or operator writes. */
    public static LuceneVectorIndex openReadOnly(Path path) {
        return openReadOnly(path, LuceneSearch.DEFAULT);
    }

    /** A search-only view searching as {@code search} says. */
    public static LuceneVectorIndex openReadOnly(Path path, LuceneSearch search) {
        try {
            return new LuceneVectorIndex(FSDirectory.open(path), false, search);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open watchlist index at " + path + " (was anything enrolled?)", e);
        }
    }

    /** A writable index in memory, for tools and tests. */
    public static LuceneVectorIndex inMemory() {
        try {
            return new LuceneVectorIndex(new ByteBuffersDirectory(), true, LuceneSearch.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void upsert(WatchlistEntry entry, String faceId, float[] embedding) {
        requireWritable();
        try {
            writer.updateDocument(new Term(F_FACE_ID, faceId), document(entry, faceId, embedding));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Document document(WatchlistEntry entry, String faceId, float[] embedding) {
        float[] unit = VectorMath.l2Normalize(embedding);
        Document doc = new Document();
        doc.add(new StringField(F_FACE_ID, faceId, Field.Store.YES));
        doc.add(new StringField(F_ENTRY_ID, entry.entryId(), Field.Store.YES));
        doc.add(new StoredField(F_EXTERNAL_ID, entry.externalId()));
        doc.add(new StoredField(F_ENROLLED_BY, entry.enrolledBy()));
        doc.add(new StoredField(F_ENROLLED_AT, entry.enrolledAt().toEpochMilli()));
        doc.add(new StoredField(F_LEGAL_BASIS, entry.legalBasis()));
        long expires = entry.expiresAt().toEpochMilli();
        doc.add(new LongPoint(F_EXPIRES_AT, expires));
        doc.add(new StoredField(F_EXPIRES_AT, expires));
        doc.add(new NumericDocValuesField(F_EXPIRES_DV, expires));
        doc.add(new StringField(F_MODEL_ID, entry.modelId(), Field.Store.YES));
        doc.add(new SortedDocValuesField(F_MODEL_DV, new BytesRef(entry.modelId())));
        byte[] vector = new byte[unit.length * Float.BYTES];
        for (int i = 0; i < unit.length; i++) {
            F32.set(vector, i * Float.BYTES, unit[i]);
        }
        doc.add(new BinaryDocValuesField(F_VECTOR, new BytesRef(vector)));
        long[] sketch = sketcher(unit.length).sketch(unit);
        byte[] sketchBytes = new byte[sketch.length * Long.BYTES];
        for (int i = 0; i < sketch.length; i++) {
            I64.set(sketchBytes, i * Long.BYTES, sketch[i]);
        }
        doc.add(new BinaryDocValuesField(F_SKETCH, new BytesRef(sketchBytes)));
        return doc;
    }

    private SignSketch sketcher(int dim) {
        return sketches.computeIfAbsent(dim, SignSketch::new);
    }

    @Override
    public long deleteEntry(String entryId) {
        return deleteAndCount(new TermQuery(new Term(F_ENTRY_ID, entryId)));
    }

    @Override
    public List<SearchHit> search(float[] query, int k, SearchFilter filter) {
        return find(query, k, Float.NEGATIVE_INFINITY, filter);
    }

    /**
     * As {@link VectorIndex#searchAbove}: pre-filtered by sketch unless this index was opened
     * {@code exact}; may miss a face lying at {@code minSimilarity} with probability at most 2e-3.
     */
    @Override
    public List<SearchHit> searchAbove(
            float[] query, int k, float minSimilarity, SearchFilter filter) {
        return find(query, k, minSimilarity, filter);
    }

    private List<SearchHit> find(float[] query, int k, float minSimilarity, SearchFilter filter) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        float[] unit = VectorMath.l2Normalize(query);
        boolean prefilter = !exact && minSimilarity > -1f;
        long[] querySketch = prefilter ? sketcher(unit.length).sketch(unit) : null;
        try {
            maybeRefresh();
            IndexSearcher searcher = searchers.acquire();
            try {
                Scored scored = new Scored();
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                for (LeafReaderContext leaf : leaves) {
                    scoreLeaf(leaf, unit, querySketch, minSimilarity, filter, scored);
                }
                return scored.best(k, leaves, searcher.storedFields());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Scores the leaf's faces of the wanted model that are live, unexpired, and (with a query
     * sketch) near enough by sketch; keeps those at or above {@code minSimilarity}.
     */
    private void scoreLeaf(
            LeafReaderContext leaf,
            float[] unit,
            long[] querySketch,
            float minSimilarity,
            SearchFilter filter,
            Scored out)
            throws IOException {
        LeafReader reader = leaf.reader();
        Segment seg = segment(reader);
        int model = seg.ordinalOf(filter.modelId());
        if (model < 0) {
            return;
        }
        Bits live = reader.getLiveDocs();
        long now = filter.now().toEpochMilli();
        int[] docs;
        int count;
        if (querySketch != null && querySketch.length == seg.words) {
            int bits = seg.words * 64;
            docs = seg.scan(querySketch, SignSketch.cutoff(bits / 2, minSimilarity), pool, threads);
            count = seg.refine(docs, querySketch, SignSketch.cutoff(bits, minSimilarity));
        } else {
            docs = null;
            count = seg.maxDoc;
        }
        BinaryDocValues vectors = reader.getBinaryDocValues(F_VECTOR);
        if (vectors == null) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int doc = docs == null ? i : docs[i];
            if (seg.model[doc] != model
                    || seg.expires[doc] <= now
                    || (live != null && !live.get(doc))
                    || !vectors.advanceExact(doc)) {
                continue;
            }
            float score = dot(unit, vectors.binaryValue(), doc);
            if (score >= minSimilarity) {
                out.add(score, leaf.ord, doc);
            }
        }
    }

    private static float dot(float[] unit, BytesRef vector, int doc) {
        if (vector.length != unit.length * Float.BYTES) {
            throw new IllegalArgumentException(
                    "dimension mismatch: query has "
                            + unit.length
                            + ", enrolled face (doc "
                            + doc
                            + ") has "
                            + vector.length / Float.BYTES);
        }
        byte[] b = vector.bytes;
        int o = vector.offset;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < unit.length; i += 4, o += 16) {
            s0 += unit[i] * (float) F32.get(b, o);
            s1 += unit[i + 1] * (float) F32.get(b, o + 4);
            s2 += unit[i + 2] * (float) F32.get(b, o + 8);
            s3 += unit[i + 3] * (float) F32.get(b, o + 12);
        }
        for (; i < unit.length; i++, o += 4) {
            s0 += unit[i] * (float) F32.get(b, o);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The per-segment arrays a search scans, read once per segment and cached until it closes. */
    private Segment segment(LeafReader reader) throws IOException {
        IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
        if (helper == null) {
            return Segment.read(reader);
        }
        Segment cached = segments.get(helper.getKey());
        if (cached != null) {
            return cached;
        }
        Segment seg = Segment.read(reader);
        if (segments.putIfAbsent(helper.getKey(), seg) == null) {
            helper.addClosedListener(segments::remove);
        }
        return seg;
    }

    /**
     * Sketches (scan words of every face first, then the refinement words), model ordinals and
     * expiry times of one segment's faces.
     */
    private static final class Segment {
        final int maxDoc;
        final int words;
        final long[] scanWords;
        final long[] refineWords;
        final int[] model;
        final long[] expires;
        final String[] modelIds;

        private Segment(int maxDoc, int words, String[] modelIds) {
            this.maxDoc = maxDoc;
            this.words = words;
            int half = words / 2;
            this.scanWords = new long[maxDoc * half];
            this.refineWords = new long[maxDoc * (words - half)];
            this.model = new int[maxDoc];
            this.expires = new long[maxDoc];
            this.modelIds = modelIds;
            Arrays.fill(model, -1);
        }

        static Segment read(LeafReader reader) throws IOException {
            int maxDoc = reader.maxDoc();
            BinaryDocValues sketches = reader.getBinaryDocValues(F_SKETCH);
            SortedDocValues models = reader.getSortedDocValues(F_MODEL_DV);
            NumericDocValues expiries = reader.getNumericDocValues(F_EXPIRES_DV);
            if (sketches == null || models == null || expiries == null) {
                return new Segment(maxDoc, 0, new String[0]);
            }
            String[] ids = new String[models.getValueCount()];
            for (int o = 0; o < ids.length; o++) {
                ids[o] = models.lookupOrd(o).utf8ToString();
            }
            int words = -1;
            Segment seg = null;
            for (int doc = sketches.nextDoc();
                    doc != DocIdSetIterator.NO_MORE_DOCS;
                    doc = sketches.nextDoc()) {
                BytesRef bytes = sketches.binaryValue();
                if (seg == null) {
                    words = bytes.length / Long.BYTES;
                    seg = new Segment(maxDoc, words, ids);
                } else if (bytes.length != words * Long.BYTES) {
                    throw new IllegalStateException(
                            "watchlist index segment mixes sketch sizes "
                                    + words * Long.BYTES
                                    + " and "
                                    + bytes.length
                                    + " bytes");
                }
                int half = words / 2;
                for (int w = 0; w < words; w++) {
                    long v = (long) I64.get(bytes.bytes, bytes.offset + w * Long.BYTES);
                    if (w < half) {
                        seg.scanWords[doc * half + w] = v;
                    } else {
                        seg.refineWords[doc * (words - half) + w - half] = v;
                    }
                }
            }
            if (seg == null) {
                return new Segment(maxDoc, 0, ids);
            }
            for (int doc = models.nextDoc();
                    doc != DocIdSetIterator.NO_MORE_DOCS;
                    doc = models.nextDoc()) {
                seg.model[doc] = models.ordValue();
            }
            for (int doc = expiries.nextDoc();
                    doc != DocIdSetIterator.NO_MORE_DOCS;
                    doc = expiries.nextDoc()) {
                seg.expires[doc] = expiries.longValue();
            }
            return seg;
        }

        int ordinalOf(String modelId) {
            for (int o = 0; o < modelIds.length; o++) {
                if (modelIds[o].equals(modelId)) {
                    return o;
                }
            }
            return -1;
        }

        /**
         * Docs whose scan-stage Hamming distance is at most {@code cutoff}, in doc order; split
         * over {@code threads} (the caller's and the pool's) when the segment is large.
         */
        int[] scan(long[] q, int cutoff, ExecutorService pool, int threads) throws IOException {
            if (pool == null || threads < 2 || maxDoc < PARALLEL_MIN_FACES) {
                return scanRange(q, cutoff, 0, maxDoc);
            }
            int chunk = (maxDoc + threads - 1) / threads;
            List<Future<int[]>> rest = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                int from = Math.min(maxDoc, t * chunk);
                int to = Math.min(maxDoc, from + chunk);
                rest.add(pool.submit(() -> scanRange(q, cutoff, from, to)));
            }
            int[][] parts = new int[threads][];
            parts[0] = scanRange(q, cutoff, 0, Math.min(maxDoc, chunk));
            int total = parts[0].length;
            try {
                for (int t = 1; t < threads; t++) {
                    parts[t] = rest.get(t - 1).get();
                    total += parts[t].length;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while scanning the watchlist", e);
            } catch (ExecutionException e) {
                throw new IOException("watchlist scan failed", e.getCause());
            }
            int[] out = new int[total];
            int n = 0;
            for (int[] part : parts) {
                System.arraycopy(part, 0, out, n, part.length);
                n += part.length;
            }
            return out;
        }

        private int[] scanRange(long[] q, int cutoff, int from, int to) {
            int half = words / 2;
            int[] out = new int[Math.max(16, Math.min(to - from, 1024))];
            int n = 0;
            long[] s = scanWords;
            if (half == 8) {
                long q0 = q[0];
                long q1 = q[1];
                long q2 = q[2];
                long q3 = q[3];
                long q4 = q[4];
                long q5 = q[5];
                long q6 = q[6];
                long q7 = q[7];
                for (int doc = from, o = from * 8; doc < to; doc++, o += 8) {
                    int h =
                            Long.bitCount(s[o] ^ q0)
                                    + Long.bitCount(s[o + 1] ^ q1)
                                    + Long.bitCount(s[o + 2] ^ q2)
                                    + Long.bitCount(s[o + 3] ^ q3)
                                    + Long.bitCount(s[o + 4] ^ q4)
                                    + Long.bitCount(s[o + 5] ^ q5)
                                    + Long.bitCount(s[o + 6] ^ q6)
                                    + Long.bitCount(s[o + 7] ^ q7);
                    if (h <= cutoff) {
                        if (n == out.length) {
                            out = Arrays.copyOf(out, n * 2);
                        }
                        out[n++] = doc;
                    }
                }
            } else {
                for (int doc = from, o = from * half; doc < to; doc++, o += half) {
                    int h = 0;
                    for (int w = 0; w < half; w++) {
                        h += Long.bitCount(s[o + w] ^ q[w]);
                    }
                    if (h <= cutoff) {
                        if (n == out.length) {
                            out = Arrays.copyOf(out, n * 2);
                        }
                        out[n++] = doc;
                    }
                }
            }
            return Arrays.copyOf(out, n);
        }

        /**
         * Keeps, in place at the front of {@code docs}, those whose distance over the whole sketch
         * is at most {@code cutoff}; returns how many.
         */
        int refine(int[] docs, long[] q, int cutoff) {
            int half = words / 2;
            int rest = words - half;
            int n = 0;
            for (int doc : docs) {
                int h = 0;
                int o = doc * half;
                for (int w = 0; w < half; w++) {
                    h += Long.bitCount(scanWords[o + w] ^ q[w]);
                }
                if (h > cutoff) {
                    continue;
                }
                o = doc * rest;
                for (int w = 0; w < rest; w++) {
                    h += Long.bitCount(refineWords[o + w] ^ q[half + w]);
                }
                if (h <= cutoff) {
                    docs[n++] = doc;
                }
            }
            return n;
        }
    }

    /** Faces scored by a search: (score, leaf, doc), then the best k entries of them. */
    private static final class Scored {
        private float[] scores = new float[64];
        private int[] leaves = new int[64];
        private int[] docs = new int[64];
        private int size;

        void add(float score, int leaf, int doc) {
            if (size == scores.length) {
                scores = Arrays.copyOf(scores, size * 2);
                leaves = Arrays.copyOf(leaves, size * 2);
                docs = Arrays.copyOf(docs, size * 2);
            }
            scores[size] = score;
            leaves[size] = leaf;
            docs[size] = doc;
            size++;
        }

        /** One hit per entry (its best face), most similar first, at most k. */
        List<SearchHit> best(int k, List<LeafReaderContext> leafContexts, StoredFields stored)
                throws IOException {
            long[] order = new long[size];
            for (int i = 0; i < size; i++) {
                // Descending by score: the sortable bits of -score in the high half, then index.
                int bits = Float.floatToIntBits(-scores[i]);
                int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
                order[i] = ((long) sortable << 32) | i;
            }
            Arrays.sort(order);
            Map<String, SearchHit> bestPerEntry = new LinkedHashMap<>();
            for (long key : order) {
                int i = (int) key;
                int globalDoc = leafContexts.get(leaves[i]).docBase + docs[i];
                Document doc = stored.document(globalDoc);
                String entryId = doc.get(F_ENTRY_ID);
                if (bestPerEntry.containsKey(entryId)) {
                    continue; // sorted, so the first face of an entry is its best
                }
                bestPerEntry.put(
                        entryId, new SearchHit(toEntry(doc), doc.get(F_FACE_ID), scores[i]));
                if (bestPerEntry.size() == k) {
                    break;
                }
            }
            return new ArrayList<>(bestPerEntry.values());
        }
    }

    @Override
    public long faceCount() {
        try {
            maybeRefresh();
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void commit() {
        try {
            if (writer != null) {
                writer.commit();
            }
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<IndexedEntry> entry(String entryId) {
        List<IndexedEntry> found = collect(new TermQuery(new Term(F_ENTRY_ID, entryId)));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<IndexedEntry> entries() {
        return collect(new MatchAllDocsQuery());
    }

    /** Groups the faces matching a query by entry; sorted by external id, then face id. */
    private List<IndexedEntry> collect(Query query) {
        try {
            maybeRefresh();
            IndexSearcher searcher = searchers.acquire();
            try {
                int max = Math.max(1, searcher.getIndexReader().maxDoc());
                StoredFields stored = searcher.storedFields();
                EntryGrouper grouper = new EntryGrouper();
                for (ScoreDoc sd : searcher.search(query, max).scoreDocs) {
                    Document doc = stored.document(sd.doc);
                    grouper.add(toEntry(doc), doc.get(F_FACE_ID));
                }
                return grouper.build();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long purgeExpired(Instant now) {
        return deleteAndCount(
                LongPoint.newRangeQuery(F_EXPIRES_AT, Long.MIN_VALUE, now.toEpochMilli()));
    }

    /** Deletes the matching faces, commits, and returns how many were removed. */
    private long deleteAndCount(Query query) {
        requireWritable();
        try {
            long before = writer.getDocStats().numDocs;
            writer.deleteDocuments(query);
            commit();
            return before - writer.getDocStats().numDocs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Merges the index into one segment, so each search scans one array of sketches instead of one
     * per segment. Worth it after a bulk enrolment.
     */
    public void forceMerge() {
        requireWritable();
        try {
            writer.forceMerge(1);
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        try {
            searchers.close();
            if (writer != null) {
                writer.close();
            }
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void maybeRefresh() throws IOException {
        // Read-only views pick up commits made by the enroller; writable ones see their own writes.
        searchers.maybeRefresh();
    }

    private void requireWritable() {
        if (writer == null) {
            throw new IllegalStateException("this watchlist index was opened read-only");
        }
    }

    private static WatchlistEntry toEntry(Document doc) {
        return new WatchlistEntry(
                doc.get(F_ENTRY_ID),
                doc.get(F_EXTERNAL_ID),
                doc.get(F_ENROLLED_BY),
                Instant.ofEpochMilli(doc.getField(F_ENROLLED_AT).numericValue().longValue()),
                doc.get(F_LEGAL_BASIS),
                Instant.ofEpochMilli(doc.getField(F_EXPIRES_AT).numericValue().longValue()),
                doc.get(F_MODEL_ID));
    }
}
