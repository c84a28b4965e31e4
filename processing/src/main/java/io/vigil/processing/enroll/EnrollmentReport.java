package io.vigil.processing.enroll;

import java.util.List;

/** Per photo: faces indexed and faces not indexed, with the reason (IndexFaces-style). */
public record EnrollmentReport(List<PhotoResult> photos) {

    public enum UnindexedReason {
        NO_FACE_DETECTED,
        EXCEEDS_MAX_FACES,
        UNREADABLE_IMAGE
    }

    public record PhotoResult(String externalId, String photo, int indexedFaces, List<UnindexedReason> unindexed) {}

    public long indexedFaces() {
        return photos.stream().mapToLong(PhotoResult::indexedFaces).sum();
    }

    public long entries() {
        return photos.stream().filter(p -> p.indexedFaces() > 0).map(PhotoResult::externalId).distinct().count();
    }
}
