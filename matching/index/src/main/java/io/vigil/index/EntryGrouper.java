package io.vigil.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects per-face rows of an index into entries with their face ids, in listing order; for {@link
 * VectorIndex} implementations.
 */
public final class EntryGrouper {
    private final Map<String, WatchlistEntry> entries = new LinkedHashMap<>();
    private final Map<String, List<String>> faces = new LinkedHashMap<>();

    public void add(WatchlistEntry entry, String faceId) {
        entries.putIfAbsent(entry.entryId(), entry);
        faces.computeIfAbsent(entry.entryId(), id -> new ArrayList<>()).add(faceId);
    }

    /** Entries sorted by external id, then model id; face ids sorted. */
    public List<IndexedEntry> build() {
        List<IndexedEntry> out = new ArrayList<>();
        entries.forEach(
                (id, e) -> out.add(new IndexedEntry(e, faces.get(id).stream().sorted().toList())));
        out.sort(
                Comparator.comparing((IndexedEntry ie) -> ie.entry().externalId())
                        .thenComparing(ie -> ie.entry().modelId()));
        return out;
    }
}
