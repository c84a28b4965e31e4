package io.vigil.index.lucene;

import java.io.Serializable;

/**
 * How the embedded index searches: with the sketch pre-filter or exactly, and with how many threads
 * scanning one search's large segments.
 *
 * @param exact compare every face of the wanted model instead of pre-filtering by sketch
 * @param threads threads per search (the caller's included) on segments of at least {@link
 *     LuceneVectorIndex#PARALLEL_MIN_FACES} faces; more than 1 lowers latency on idle cores and
 *     only moves work when every core is busy
 */
public record LuceneSearch(boolean exact, int threads) implements Serializable {
    /** Sketch pre-filter, one thread: what the job uses unless configured otherwise. */
    public static final LuceneSearch DEFAULT = new LuceneSearch(false, 1);

    public static final int MAX_THREADS = 64;

    public LuceneSearch {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException(
                    "search threads must be within 1.." + MAX_THREADS + ", was " + threads);
        }
    }
}
