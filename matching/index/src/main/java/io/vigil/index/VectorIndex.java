package io.vigil.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A vector index of enrolled faces. Similarities are cosine similarities of L2-normalised
 * embeddings (-1..1). Implementations: {@link LuceneVectorIndex} (embedded, default) and {@code
 * MilvusVectorIndex} for watchlists that outgrow one JVM. Both pass the same contract test suite.
 *
 * <p>Searches see every write committed before them, in any process: removing an entry and
 * committing stops it matching at once, which is what someone removing a person from a watchlist
 * expects of the running pipeline.
 */
public interface VectorIndex extends AutoCloseable {

    /** Adds (or replaces, by faceId) one face vector of an entry. */
    void upsert(WatchlistEntry entry, String faceId, float[] embedding);

    /** Removes every face of the entry; returns how many faces were removed. */
    long deleteEntry(String entryId);

    /** Removes every face of entries that expired at or before {@code now}; returns the count. */
    long purgeExpired(Instant now);

    /** One entry with its face ids, if present (expired ones included until purged). */
    Optional<IndexedEntry> entry(String entryId);

    /** Every entry with its face ids, ordered by external id. */
    List<IndexedEntry> entries();

    /**
     * The best {@code k} entries for the query, one hit per entry (its most similar face), most
     * similar first, restricted by the filter.
     */
    List<SearchHit> search(float[] query, int k, SearchFilter filter);

    /**
     * As {@link #search}, keeping only hits at or above {@code minSimilarity} (the match
     * threshold). A backend may use the bound to skip most of the index; it may then miss a face
     * lying at the bound with a small documented probability, never one far above it.
     */
    default List<SearchHit> searchAbove(
            float[] query, int k, float minSimilarity, SearchFilter filter) {
        return search(query, k, filter).stream()
                .filter(h -> h.similarity() >= minSimilarity)
                .toList();
    }

    /** Number of indexed faces, expired ones included until they are purged. */
    long faceCount();

    /** Makes all previous writes durable and visible to searches. */
    void commit();

    @Override
    void close();
}
