package io.vigil.index;

import java.time.Instant;
import java.util.Objects;

/**
 * Restricts a search to entries of one embedding model that have not expired at {@code now}.
 * Vectors of different models live in different spaces, so mixing them would be meaningless.
 */
public record SearchFilter(String modelId, Instant now) {
    public SearchFilter {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(now, "now");
    }
}
