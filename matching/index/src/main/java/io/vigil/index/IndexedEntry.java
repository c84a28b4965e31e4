package io.vigil.index;

import java.util.List;
import java.util.Map;

/** A watchlist entry as stored in an index: its metadata and the ids of its enrolled faces. */
public record IndexedEntry(WatchlistEntry entry, List<String> faceIds) {
    public IndexedEntry {
        faceIds = List.copyOf(faceIds);
    }

    /**
     * Groups (entry, face id) rows of an index into entries, sorted by external id then model id.
     */
    public static List<IndexedEntry> group(Iterable<Map.Entry<WatchlistEntry, String>> faces) {
        EntryGrouper grouper = new EntryGrouper();
        faces.forEach(f -> grouper.add(f.getKey(), f.getValue()));
        return grouper.build();
    }
}
