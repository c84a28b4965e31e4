package io.vigil.processing.watchlist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.matching.IndexedEntry;
import io.vigil.matching.WatchlistEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes shared by the CLI and the HTTP API. Entries carry metadata and face ids, never
 * vectors.
 */
final class WatchlistJson {
    static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper COMPACT = new ObjectMapper();

    private WatchlistJson() {}

    static Map<String, Object> entry(IndexedEntry indexed) {
        WatchlistEntry e = indexed.entry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("externalId", e.externalId());
        m.put("entryId", e.entryId());
        m.put("enrolledBy", e.enrolledBy());
        m.put("enrolledAt", e.enrolledAt().toString());
        m.put("legalBasis", e.legalBasis());
        m.put("expiresAt", e.expiresAt().toString());
        m.put("modelId", e.modelId());
        m.put("faceIds", indexed.faceIds());
        return m;
    }
}
