package io.vigil.index.spec;

import io.vigil.index.VectorIndex;
import io.vigil.index.lucene.LuceneSearch;
import io.vigil.index.lucene.LuceneVectorIndex;
import io.vigil.index.milvus.MilvusSettings;
import io.vigil.index.milvus.MilvusVectorIndex;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which watchlist index to open: the embedded Lucene index in a directory, or a Milvus collection.
 * Serializable, so a Flink operator carries it and opens the index in {@code open()}.
 */
public record IndexSpec(
        Backend backend, String luceneDir, LuceneSearch luceneSearch, MilvusSettings milvus)
        implements Serializable {

    /** The watchlist backends. */
    public enum Backend {
        LUCENE,
        MILVUS
    }

    public IndexSpec {
        Objects.requireNonNull(backend, "backend");
        if (backend == Backend.LUCENE && (luceneDir == null || luceneDir.isBlank())) {
            throw new IllegalArgumentException(
                    "the Lucene watchlist backend needs an index directory");
        }
        if (backend == Backend.LUCENE && luceneSearch == null) {
            throw new IllegalArgumentException(
                    "the Lucene watchlist backend needs search settings");
        }
        if (backend == Backend.MILVUS && milvus == null) {
            throw new IllegalArgumentException(
                    "the Milvus watchlist backend needs Milvus settings");
        }
    }

    public static IndexSpec lucene(Path dir) {
        return lucene(dir, LuceneSearch.DEFAULT);
    }

    /** The Lucene index in {@code dir}, searching as {@code search} says. */
    public static IndexSpec lucene(Path dir, LuceneSearch search) {
        return new IndexSpec(Backend.LUCENE, dir.toString(), search, null);
    }

    public static IndexSpec milvus(MilvusSettings settings) {
        return new IndexSpec(Backend.MILVUS, null, null, settings);
    }

    /**
     * Opens the index. {@code searchOnly} opens a Lucene directory without its write lock, so every
     * pipeline subtask can search what one enroller writes; Milvus is shared by design.
     */
    public VectorIndex open(boolean searchOnly) {
        return switch (backend) {
            case LUCENE ->
                    searchOnly
                            ? LuceneVectorIndex.openReadOnly(Path.of(luceneDir), luceneSearch)
                            : LuceneVectorIndex.open(Path.of(luceneDir), luceneSearch);
            case MILVUS -> MilvusVectorIndex.connect(milvus);
        };
    }

    @Override
    public String toString() {
        return backend == Backend.LUCENE
                ? "lucene:" + luceneDir
                : "milvus:" + milvus.uri() + "/" + milvus.collection();
    }
}
