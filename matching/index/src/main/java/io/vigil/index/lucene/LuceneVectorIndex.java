package io.vigil.index.lucene;

import io.vigil.index.EntryGrouper;
import io.vigil.index.IndexedEntry;
import io.vigil.index.SearchFilter;
import io.vigil.index.SearchHit;
import io.vigil.index.VectorIndex;
import io.vigil.index.VectorMath;
import io.vigil.index.WatchlistEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
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
 * <p>Sketches, model ids, expiry times, purposes and cameras of each segment are read into memory
 * once per segment (about 144 bytes per face); vectors stay on disk, memory-mapped, and only
 * survivors are read. Model, expiry, purposes and cameras filter inside the scan, like the sketch.
 *
 * <p>A writable index holds Lucene's write lock on its directory; {@link #openReadOnly} lets any
 * number of job subtasks search a directory that one enroller writes.
 */
public final class LuceneVectorIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneVectorIndex.class);

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
    private final Map<Object, SketchSegment> segments = new ConcurrentHashMap<>();

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
            float[] unit = VectorMath.l2Normalize(embedding);
            writer.updateDocument(
                    new Term(FaceDocuments.F_FACE_ID, faceId),
                    FaceDocuments.document(
                            entry, faceId, unit, sketcher(unit.length).sketch(unit)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SignSketch sketcher(int dim) {
        return sketches.computeIfAbsent(dim, SignSketch::new);
    }

    @Override
    public long deleteEntry(String entryId) {
        return deleteAndCount(new TermQuery(new Term(FaceDocuments.F_ENTRY_ID, entryId)));
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
        SketchSegment seg = segment(reader);
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
        BinaryDocValues vectors = reader.getBinaryDocValues(FaceDocuments.F_VECTOR);
        if (vectors == null) {
            return;
        }
        boolean[] purposes = seg.purposes.mask(filter.purposes());
        boolean[] cameras = seg.cameras.mask(filter.cameras());
        for (int i = 0; i < count; i++) {
            int doc = docs == null ? i : docs[i];
            if (seg.model[doc] != model
                    || seg.expires[doc] <= now
                    || !seg.purposes.hasAny(doc, purposes)
                    || !seg.cameras.hasAny(doc, cameras)
                    || (live != null && !live.get(doc))
                    || !vectors.advanceExact(doc)) {
                continue;
            }
            float score = FaceDocuments.dot(unit, vectors.binaryValue(), doc);
            if (score >= minSimilarity) {
                out.add(score, leaf.ord, doc);
            }
        }
    }

    /** The per-segment arrays a search scans, read once per segment and cached until it closes. */
    private SketchSegment segment(LeafReader reader) throws IOException {
        IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
        if (helper == null) {
            return SketchSegment.read(reader);
        }
        SketchSegment cached = segments.get(helper.getKey());
        if (cached != null) {
            return cached;
        }
        SketchSegment seg = SketchSegment.read(reader);
        if (segments.putIfAbsent(helper.getKey(), seg) == null) {
            helper.addClosedListener(segments::remove);
        }
        return seg;
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
                String entryId = doc.get(FaceDocuments.F_ENTRY_ID);
                if (bestPerEntry.containsKey(entryId)) {
                    continue; // sorted, so the first face of an entry is its best
                }
                bestPerEntry.put(
                        entryId,
                        new SearchHit(
                                FaceDocuments.toEntry(doc),
                                doc.get(FaceDocuments.F_FACE_ID),
                                scores[i]));
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
        List<IndexedEntry> found =
                collect(new TermQuery(new Term(FaceDocuments.F_ENTRY_ID, entryId)));
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
                    grouper.add(FaceDocuments.toEntry(doc), doc.get(FaceDocuments.F_FACE_ID));
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
                LongPoint.newRangeQuery(
                        FaceDocuments.F_EXPIRES_AT, Long.MIN_VALUE, now.toEpochMilli()));
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
}
