package io.vigil.watchlist;

import io.vigil.vision.face.UnindexedReason;
import java.util.List;

/**
 * The outcome of one enrolment: per photo, the faces indexed and the faces not indexed with their
 * reasons (IndexFaces-style). {@code created} says whether the entry is new or photos were added to
 * an existing one.
 */
public record EnrollmentReport(
        String externalId, String entryId, boolean created, List<PhotoResult> photos) {

    /** A face box in photo pixels. */
    public record FaceBox(int x, int y, int width, int height) {}

    public record IndexedFace(String faceId, FaceBox box, float quality) {}

    /** A face not indexed, or a whole photo ({@code box} null) that could not be used. */
    public record UnindexedFace(FaceBox box, List<UnindexedReason> reasons) {}

    public record PhotoResult(
            String photo, List<IndexedFace> indexed, List<UnindexedFace> unindexed) {}

    public int indexedFaces() {
        return photos.stream().mapToInt(p -> p.indexed().size()).sum();
    }
}
