package io.vigil.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a face matches the watchlist: top-k search, then the calibrated threshold. A face
 * that matches nothing leaves no trace here: nothing is stored or returned.
 */
public final class Matcher {
    private final VectorIndex index;
    private final MatchPolicy policy;

    public Matcher(VectorIndex index, MatchPolicy policy) {
        this.index = index;
        this.policy = policy;
    }

    /**
     * The best hit at or above the threshold among entries that may be matched for one of {@code
     * purposes} (the camera's) and on {@code cameraId}, if any.
     */
    public Optional<SearchHit> bestMatch(
            float[] embedding, Instant now, Set<String> purposes, String cameraId) {
        List<SearchHit> hits =
                index.searchAbove(
                        embedding,
                        policy.topK(),
                        policy.threshold(),
                        new SearchFilter(policy.modelId(), now, purposes, cameraId));
        // The backend bounds by the threshold already; checked again here, as a safeguard.
        return hits.stream().filter(h -> h.similarity() >= policy.threshold()).findFirst();
    }

    public MatchPolicy policy() {
        return policy;
    }
}
