package io.vigil.matching;

import java.util.List;

/**
 * A vector index of enrolled faces. Similarities are cosine similarities of L2-normalised
 * embeddings (-1..1). Implementations: {@link LuceneVectorIndex} (embedded, default); a Milvus
 * implementation is planned for watchlists that outgrow one JVM.
 */
public interface VectorIndex extends AutoCloseable {

    /** Adds (or replaces, by faceId) one face vector of an entry. */
    void upsert(WatchlistEntry entry, String faceId, float[] embedding);

    /** Removes every face of the entry; returns how many faces were removed. */
    long deleteEntry(String entryId);

    /**
     * The best {@code k} entries for the query, one hit per entry (its most similar face), most
     * similar first, restricted by the filter.
     */
    List<SearchHit> search(float[] query, int k, SearchFilter filter);

    /** Number of indexed faces, expired ones included until they are purged. */
    long faceCount();

    /** Makes all previous writes durable and visible to searches. */
    void commit();

    @Override
    void close();
}
