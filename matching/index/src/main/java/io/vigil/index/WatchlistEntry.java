package io.vigil.index;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person on the watchlist. Every entry says who enrolled it, on what legal basis, and until when
 * it may be matched: these are required, not optional metadata.
 */
public record WatchlistEntry(
        String entryId,
        String externalId,
        String enrolledBy,
        Instant enrolledAt,
        String legalBasis,
        Instant expiresAt,
        String modelId) {

    /** Same rule as Rekognition's ExternalImageId, so ids move between systems unchanged. */
    public static final Pattern EXTERNAL_ID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,255}");

    public WatchlistEntry {
        requireText(entryId, "entryId");
        requireText(externalId, "externalId");
        if (!EXTERNAL_ID.matcher(externalId).matches()) {
            throw new IllegalArgumentException(
                    "externalId '" + externalId + "' must be 1-255 chars of [a-zA-Z0-9_.\\-:]");
        }
        requireText(enrolledBy, "enrolledBy");
        requireText(legalBasis, "legalBasis");
        requireText(modelId, "modelId");
        Objects.requireNonNull(enrolledAt, "enrolledAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(enrolledAt)) {
            throw new IllegalArgumentException(
                    "expiresAt " + expiresAt + " must be after enrolledAt " + enrolledAt);
        }
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
