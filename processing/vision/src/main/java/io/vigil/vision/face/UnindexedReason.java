package io.vigil.vision.face;

/** Why a face (or a whole photo) was not indexed; the names follow Rekognition IndexFaces. */
public enum UnindexedReason {
    UNREADABLE_IMAGE,
    NO_FACE_DETECTED,
    EXCEEDS_MAX_FACES,
    /** More than one usable face where one person is expected (a booking photo). */
    SEVERAL_FACES,
    SMALL_BOUNDING_BOX,
    LOW_SHARPNESS,
    LOW_BRIGHTNESS,
    HIGH_BRIGHTNESS,
    LOW_CONFIDENCE,
    /** The face lies outside every region of interest of its camera. */
    OUTSIDE_REGION_OF_INTEREST,
    EXTREME_POSE
}
