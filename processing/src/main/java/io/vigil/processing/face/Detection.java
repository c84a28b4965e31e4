package io.vigil.processing.face;

/**
 * A detected face in frame pixels. {@code points} are the detector's own alignment keypoints in
 * template order (see {@link FaceAligner#templateFor}), or null when the detector gives none and a
 * landmark model must find them.
 */
public record Detection(Box box, float[][] points) {}
