package io.vigil.index;

/**
 * Threshold and search breadth for one embedding model. The threshold is a cosine similarity on
 * that model's own scale (not Rekognition's 0-100), and may not go under the model's calibrated
 * floor: a lower threshold trades false alerts for recall, which this system does not allow.
 */
public record MatchPolicy(String modelId, float threshold, float floor, int topK)
        implements java.io.Serializable {
    public MatchPolicy {
        if (floor < -1f || floor > 1f) {
            throw new IllegalArgumentException("floor must be within -1..1, was " + floor);
        }
        if (threshold < floor || threshold > 1f) {
            throw new IllegalArgumentException(
                    "threshold "
                            + threshold
                            + " must be within ["
                            + floor
                            + ", 1] for model "
                            + modelId);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, was " + topK);
        }
    }
}
