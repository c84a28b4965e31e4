package io.vigil.vision.face;

import java.util.ArrayList;
import java.util.List;

/**
 * Enrolment quality bar, like IndexFaces' QualityFilter. A watchlist photo is the reference every
 * camera face is compared with, so a blurred, dark, tiny or turned-away face there costs accuracy
 * on every search. Each level names its limits; a face below any of them is reported with the
 * reason.
 */
public enum QualityFilter {
    NONE(0, 0f, 0f, 1f, 0f, 0f),
    LOW(32, 0.02f, 0.10f, 0.95f, 0.75f, 0.15f),
    MEDIUM(48, 0.05f, 0.15f, 0.92f, 0.85f, 0.35f),
    HIGH(80, 0.10f, 0.20f, 0.88f, 0.92f, 0.55f);

    private final int minHeightPx;
    private final float minSharpness;
    private final float minBrightness;
    private final float maxBrightness;
    private final float minConfidence;
    private final float minPose;

    QualityFilter(
            int minHeightPx,
            float minSharpness,
            float minBrightness,
            float maxBrightness,
            float minConfidence,
            float minPose) {
        this.minHeightPx = minHeightPx;
        this.minSharpness = minSharpness;
        this.minBrightness = minBrightness;
        this.maxBrightness = maxBrightness;
        this.minConfidence = minConfidence;
        this.minPose = minPose;
    }

    /** The reasons this face fails the filter; empty when it passes. */
    public List<UnindexedReason> check(FaceQuality q) {
        List<UnindexedReason> reasons = new ArrayList<>();
        if (q.heightPx() < minHeightPx) {
            reasons.add(UnindexedReason.SMALL_BOUNDING_BOX);
        }
        if (q.sharpness() < minSharpness) {
            reasons.add(UnindexedReason.LOW_SHARPNESS);
        }
        if (q.brightness() < minBrightness) {
            reasons.add(UnindexedReason.LOW_BRIGHTNESS);
        }
        if (q.brightness() > maxBrightness) {
            reasons.add(UnindexedReason.HIGH_BRIGHTNESS);
        }
        if (q.confidence() < minConfidence) {
            reasons.add(UnindexedReason.LOW_CONFIDENCE);
        }
        if (q.pose() < minPose) {
            reasons.add(UnindexedReason.EXTREME_POSE);
        }
        return reasons;
    }
}
