package io.vigil.index;

/** The best-matching face of one watchlist entry, with its cosine similarity to the query. */
public record SearchHit(WatchlistEntry entry, String faceId, float similarity) {}
