package io.vigil.vision.face;

/**
 * A camera's regions of interest as the analyzer uses them: which faces count, and which parts of
 * the frame need a detector run at all.
 */
public interface RegionFilter {

    /** The whole frame. */
    RegionFilter WHOLE_FRAME =
            new RegionFilter() {
                @Override
                public boolean contains(Box face, int frameWidth, int frameHeight) {
                    return true;
                }

                @Override
                public boolean mayContainFaceIn(Box area, int frameWidth, int frameHeight) {
                    return true;
                }
            };

    /** Whether a face (box in frame pixels) is inside. */
    boolean contains(Box face, int frameWidth, int frameHeight);

    /**
     * Whether a face that lies whole inside {@code area} (frame pixels) could be inside: false only
     * when it certainly cannot, so a tile is skipped only when no face in it could count.
     */
    boolean mayContainFaceIn(Box area, int frameWidth, int frameHeight);
}
