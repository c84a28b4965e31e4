package io.vigil.index.milvus;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the Milvus watchlist lives and how it is indexed and searched.
 *
 * <p>Consistency defaults to {@code STRONG}: a search waits until every write acknowledged before
 * it is visible, so a removal takes effect for the very next frame. {@code BOUNDED} is cheaper
 * (searches may miss writes of the last few seconds) and is a reasonable choice for very large
 * deployments that accept that delay; {@code SESSION} only guarantees it within one client, which
 * is not enough here because the enroller and the pipeline are different clients.
 *
 * @param uri Milvus endpoint, e.g. {@code http://milvus:19530}
 * @param token {@code user:password} or an API key; empty for none
 * @param database database name; empty for the server's default
 * @param collection collection holding the watchlist faces
 * @param dimension embedding dimension of the model in use
 * @param consistency consistency level of searches and queries
 * @param indexType vector index: {@code HNSW} (default) or {@code IVF_FLAT}
 * @param hnswM HNSW graph degree
 * @param hnswEfConstruction HNSW build-time candidate list
 * @param searchEf HNSW search-time candidate list (raised to k when smaller)
 * @param ivfNlist IVF clusters
 * @param ivfNprobe IVF clusters probed per search
 * @param trustedCertFile PEM certificate(s) trusted for an {@code https://} uri (a private CA);
 *     empty: the JVM's trusted authorities
 */
public record MilvusSettings(
        String uri,
        String token,
        String database,
        String collection,
        int dimension,
        ConsistencyLevel consistency,
        IndexParam.IndexType indexType,
        int hnswM,
        int hnswEfConstruction,
        int searchEf,
        int ivfNlist,
        int ivfNprobe,
        String trustedCertFile)
        implements Serializable {

    public MilvusSettings {
        token = token == null ? "" : token;
        trustedCertFile = trustedCertFile == null ? "" : trustedCertFile;
        database = database == null ? "" : database;
        checkConnection(uri, collection, trustedCertFile);
        if (dimension < 2 || dimension > 32768) {
            throw new IllegalArgumentException(
                    "embedding dimension must be in [2, 32768], was " + dimension);
        }
        Objects.requireNonNull(consistency, "consistency");
        if (indexType != IndexParam.IndexType.HNSW && indexType != IndexParam.IndexType.IVF_FLAT) {
            throw new IllegalArgumentException(
                    "Milvus index type must be HNSW or IVF_FLAT, was " + indexType);
        }
        if (hnswM < 4 || hnswEfConstruction < 8 || searchEf < 1 || ivfNlist < 1 || ivfNprobe < 1) {
            throw new IllegalArgumentException(
                    "Milvus index parameters must be positive (M >= 4, efConstruction >= 8)");
        }
    }

    /**
     * Checks where Milvus is and which collection: the settings that do not depend on the embedder,
     * so they can be checked before the models are read.
     */
    public static void checkConnection(String uri, String collection, String trustedCertFile) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.matches("(?i)(https?|tcp|grpc)://.+")) {
            throw new IllegalArgumentException(
                    "Milvus uri '" + uri + "' must look like http://host:19530");
        }
        if (trustedCertFile != null
                && !trustedCertFile.isEmpty()
                && !uri.toLowerCase(Locale.ROOT).startsWith("https://")) {
            throw new IllegalArgumentException(
                    "a trusted certificate for Milvus needs an https:// uri, was " + uri);
        }
        if (collection == null || !collection.matches("[A-Za-z_][A-Za-z0-9_]{0,254}")) {
            throw new IllegalArgumentException(
                    "Milvus collection name '" + collection + "' is not valid");
        }
    }

    /**
     * HNSW (M=16, efConstruction=200, ef=64), STRONG consistency, collection {@code
     * vigil_watchlist}.
     */
    public static MilvusSettings defaults(String uri, int dimension) {
        return new MilvusSettings(
                uri,
                "",
                "",
                "vigil_watchlist",
                dimension,
                ConsistencyLevel.STRONG,
                IndexParam.IndexType.HNSW,
                16,
                200,
                64,
                1024,
                16,
                "");
    }

    public MilvusSettings withCollection(String name) {
        return new MilvusSettings(
                uri,
                token,
                database,
                name,
                dimension,
                consistency,
                indexType,
                hnswM,
                hnswEfConstruction,
                searchEf,
                ivfNlist,
                ivfNprobe,
                trustedCertFile);
    }

    public MilvusSettings withToken(String t) {
        return new MilvusSettings(
                uri,
                t,
                database,
                collection,
                dimension,
                consistency,
                indexType,
                hnswM,
                hnswEfConstruction,
                searchEf,
                ivfNlist,
                ivfNprobe,
                trustedCertFile);
    }

    public MilvusSettings withConsistency(ConsistencyLevel level) {
        return new MilvusSettings(
                uri,
                token,
                database,
                collection,
                dimension,
                level,
                indexType,
                hnswM,
                hnswEfConstruction,
                searchEf,
                ivfNlist,
                ivfNprobe,
                trustedCertFile);
    }

    public MilvusSettings withIndexType(IndexParam.IndexType type) {
        return new MilvusSettings(
                uri,
                token,
                database,
                collection,
                dimension,
                consistency,
                type,
                hnswM,
                hnswEfConstruction,
                searchEf,
                ivfNlist,
                ivfNprobe,
                trustedCertFile);
    }

    public MilvusSettings withTrustedCert(String pemFile) {
        return new MilvusSettings(
                uri,
                token,
                database,
                collection,
                dimension,
                consistency,
                indexType,
                hnswM,
                hnswEfConstruction,
                searchEf,
                ivfNlist,
                ivfNprobe,
                pemFile);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "MilvusSettings[uri="
                + uri
                + ", token="
                + (token.isEmpty() ? "" : "***")
                + ", database="
                + database
                + ", collection="
                + collection
                + ", dimension="
                + dimension
                + ", consistency="
                + consistency
                + ", indexType="
                + indexType
                + "]";
    }

    /** Parses a consistency level name case-insensitively; the error names the allowed values. */
    public static ConsistencyLevel parseConsistency(String name) {
        try {
            return ConsistencyLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "consistency level '"
                            + name
                            + "' is not one of STRONG, BOUNDED, SESSION, EVENTUALLY");
        }
    }
}
