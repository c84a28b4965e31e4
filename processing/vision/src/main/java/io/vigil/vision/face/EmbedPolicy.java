package io.vigil.vision.face;

import java.util.Arrays;
import java.util.List;

/** Which of a frame's faces, all past the quality gate, the embedder runs on. */
public interface EmbedPolicy {

    /** Every face. */
    EmbedPolicy EVERY_FACE =
            faces -> {
                boolean[] all = new boolean[faces.size()];
                Arrays.fill(all, true);
                return all;
            };

    /** A face as the policy sees it: where it is and how good it is, nothing of who it is. */
    record Candidate(Box box, FaceQuality quality) {}

    /** One flag per face, in order: true to embed it. */
    boolean[] select(List<Candidate> faces);
}
