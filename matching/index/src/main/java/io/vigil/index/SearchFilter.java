package io.vigil.index;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Restricts a search to entries of one embedding model that have not expired at {@code now}, may be
 * matched for one of {@code purposes} (the camera's authorized purposes) and on {@code cameraId}
 * (entries restricted to named cameras are matched only on those; null: a search made for no
 * camera, such as an investigation search, which such entries never answer). Vectors of different
 * models live in different spaces, so mixing them would be meaningless.
 */
public record SearchFilter(String modelId, Instant now, Set<String> purposes, String cameraId) {
    public SearchFilter {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(now, "now");
        if (purposes == null || purposes.isEmpty()) {
            throw new IllegalArgumentException(
                    "a search needs the purposes it is made for (the camera's authorized ones)");
        }
        purposes = Set.copyOf(purposes);
    }

    /** A search made for no camera. */
    public SearchFilter(String modelId, Instant now, Set<String> purposes) {
        this(modelId, now, purposes, null);
    }

    /**
     * The camera tokens an entry must list one of ({@link WatchlistEntry#cameraTokens}): any
     * camera, or this one.
     */
    public Set<String> cameras() {
        return cameraId == null
                ? Set.of(WatchlistEntry.ANY_CAMERA)
                : Set.of(WatchlistEntry.ANY_CAMERA, cameraId);
    }
}
