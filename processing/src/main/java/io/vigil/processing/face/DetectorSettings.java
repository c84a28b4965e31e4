package io.vigil.processing.face;

import java.io.Serializable;

/** Detection thresholds: confidence, NMS overlap, faces kept per frame, smallest usable face. */
public record DetectorSettings(float minConfidence, float nmsIou, int maxFaces, int minFaceSize)
        implements Serializable {
    public DetectorSettings {
        if (minConfidence <= 0 || minConfidence >= 1) {
            throw new IllegalArgumentException(
                    "minConfidence must be in (0, 1), was " + minConfidence);
        }
        if (nmsIou <= 0 || nmsIou >= 1) {
            throw new IllegalArgumentException("nmsIou must be in (0, 1), was " + nmsIou);
        }
        if (maxFaces < 1) {
            throw new IllegalArgumentException("maxFaces must be >= 1, was " + maxFaces);
        }
        if (minFaceSize < 8) {
            throw new IllegalArgumentException("minFaceSize must be >= 8 px, was " + minFaceSize);
        }
    }

    public static DetectorSettings defaults() {
        return new DetectorSettings(0.7f, 0.4f, 20, 24);
    }
}
