package io.vigil.watchlist;

import io.vigil.index.WatchlistEntry;
import io.vigil.vision.face.QualityFilter;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A request to enrol one person: who asks, on what legal basis, until when, for which purposes, and
 * their photos.
 *
 * @param maxFaces faces indexed per photo, largest first (1 for a portrait, as recommended)
 * @param purposes what the person may be matched for: only cameras authorized for one of them
 * @param cameras the only cameras the person may be matched on (for example those a warrant's area
 *     covers); empty: every camera authorized for one of the purposes
 */
public record Enrollment(
        String externalId,
        List<Photo> photos,
        String enrolledBy,
        String legalBasis,
        Instant expiresAt,
        int maxFaces,
        QualityFilter qualityFilter,
        List<String> purposes,
        List<String> cameras) {

    /** Recommended photos per person: different days, light and pose make a sturdier reference. */
    public static final int RECOMMENDED_PHOTOS = 3;

    /** One photo, held only while it is analysed; never stored. */
    public record Photo(String name, byte[] bytes) {
        public Photo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    public Enrollment {
        photos = List.copyOf(Objects.requireNonNull(photos, "photos"));
        if (photos.isEmpty()) {
            throw new IllegalArgumentException(
                    "at least one photo is required ("
                            + RECOMMENDED_PHOTOS
                            + " or more recommended)");
        }
        if (enrolledBy == null || enrolledBy.isBlank()) {
            throw new IllegalArgumentException("enrolledBy is required");
        }
        if (legalBasis == null || legalBasis.isBlank()) {
            throw new IllegalArgumentException(
                    "legalBasis (legal basis / case reference) is required");
        }
        Objects.requireNonNull(expiresAt, "expiresAt is required");
        if (maxFaces < 1 || maxFaces > 100) {
            throw new IllegalArgumentException("maxFaces must be in [1, 100], was " + maxFaces);
        }
        Objects.requireNonNull(qualityFilter, "qualityFilter");
        purposes = WatchlistEntry.purposes(purposes);
        cameras = WatchlistEntry.cameras(cameras);
    }

    /** A request whose person may be matched on every camera authorized for the purposes. */
    public Enrollment(
            String externalId,
            List<Photo> photos,
            String enrolledBy,
            String legalBasis,
            Instant expiresAt,
            int maxFaces,
            QualityFilter qualityFilter,
            List<String> purposes) {
        this(
                externalId,
                photos,
                enrolledBy,
                legalBasis,
                expiresAt,
                maxFaces,
                qualityFilter,
                purposes,
                List.of());
    }
}
