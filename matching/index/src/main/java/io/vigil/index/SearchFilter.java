package io.vigil.index;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Restricts a search to entries of one embedding model that have not expired at {@code now} and may
 * be matched for one of {@code purposes} (the camera's authorized purposes). Vectors of different
 * models live in different spaces, so mixing them would be meaningless.
 */
public record SearchFilter(String modelId, Instant now, Set<String> purposes) {
    public SearchFilter {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(now, "now");
        if (purposes == null || purposes.isEmpty()) {
            throw new IllegalArgumentException(
                    "a search needs the purposes it is made for (the camera's authorized ones)");
        }
        purposes = Set.copyOf(purposes);
    }
}
