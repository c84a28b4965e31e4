package io.vigil.vision.face;

import java.io.Serializable;

/**
 * Detection thresholds: confidence, NMS overlap, faces kept per frame, smallest usable face, and
 * the smallest face the detector must find ({@code tileMinFace}, frame pixels; 0 runs the detector
 * on the whole frame only, see {@link TileLayout}).
 */
public record DetectorSettings(
        float minConfidence, float nmsIou, int maxFaces, int minFaceSize, int tileMinFace)
        implements Serializable {

    /** The smallest face the default layout finds in an HD frame. */
    public static final int DEFAULT_TILE_MIN_FACE = 32;

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
        if (tileMinFace != 0 && tileMinFace < 8) {
            throw new IllegalArgumentException(
                    "tileMinFace must be 0 (whole frame only) or >= 8 px, was " + tileMinFace);
        }
    }

    public static DetectorSettings defaults() {
        return new DetectorSettings(0.7f, 0.4f, 20, 24, DEFAULT_TILE_MIN_FACE);
    }

    /** These settings with another smallest face to find (0: whole frame only). */
    public DetectorSettings withTileMinFace(int px) {
        return new DetectorSettings(minConfidence, nmsIou, maxFaces, minFaceSize, px);
    }
}
