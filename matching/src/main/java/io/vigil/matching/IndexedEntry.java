package io.vigil.matching;

import java.util.List;

/** A watchlist entry as stored in an index: its metadata and the ids of its enrolled faces. */
public record IndexedEntry(WatchlistEntry entry, List<String> faceIds) {
    public IndexedEntry {
        faceIds = List.copyOf(faceIds);
    }
}
