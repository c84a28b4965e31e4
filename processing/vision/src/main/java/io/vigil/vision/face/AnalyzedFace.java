package io.vigil.vision.face;

/** A detected face with its five alignment points, quality and L2-normalised embedding. */
public record AnalyzedFace(Box box, float[][] fivePoints, FaceQuality quality, float[] embedding) {}
