package io.vigil.index;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A person on the watchlist. Every entry says who enrolled it, on what legal basis, until when it
 * may be matched, and for which purposes (it is matched only on cameras authorized for one of
 * them): these are required, not optional metadata. An entry may also name the cameras it may be
 * matched on ({@code cameras}, for example the area a warrant covers); with none named, every
 * camera authorized for one of its purposes.
 */
public record WatchlistEntry(
        String entryId,
        String externalId,
        String enrolledBy,
        Instant enrolledAt,
        String legalBasis,
        Instant expiresAt,
        String modelId,
        List<String> purposes,
        List<String> cameras) {

    /** Most purposes an entry may list, and the longest a purpose may be. */
    public static final int MAX_PURPOSES = 16;

    public static final int MAX_PURPOSE_LENGTH = 64;

    /** Most cameras an entry may be restricted to. */
    public static final int MAX_CAMERAS = 64;

    /**
     * What an index stores for an entry restricted to no camera: a token no camera id can be, so a
     * search for one camera asks for entries listing it or this ({@link SearchFilter#cameras}).
     */
    public static final String ANY_CAMERA = "*";

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
        purposes = purposes(purposes);
        cameras = cameras(cameras);
        if (!expiresAt.isAfter(enrolledAt)) {
            throw new IllegalArgumentException(
                    "expiresAt " + expiresAt + " must be after enrolledAt " + enrolledAt);
        }
    }

    /** An entry matched on every camera authorized for one of its purposes. */
    public WatchlistEntry(
            String entryId,
            String externalId,
            String enrolledBy,
            Instant enrolledAt,
            String legalBasis,
            Instant expiresAt,
            String modelId,
            List<String> purposes) {
        this(
                entryId,
                externalId,
                enrolledBy,
                enrolledAt,
                legalBasis,
                expiresAt,
                modelId,
                purposes,
                List.of());
    }

    /**
     * Camera ids trimmed, without repeats, sorted (none: no restriction); each of the external-id
     * characters, at most {@link #MAX_CAMERAS}.
     */
    public static List<String> cameras(Collection<String> cameras) {
        if (cameras == null) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>();
        for (String c : cameras) {
            String t = c == null ? "" : c.strip();
            if (!EXTERNAL_ID.matcher(t).matches()) {
                throw new IllegalArgumentException(
                        "a camera id must be 1-255 chars of [a-zA-Z0-9_.\\-:], was '" + c + "'");
            }
            out.add(t);
        }
        if (out.size() > MAX_CAMERAS) {
            throw new IllegalArgumentException(
                    "an entry may name at most " + MAX_CAMERAS + " cameras");
        }
        return List.copyOf(out);
    }

    /** What an index stores for the entry's cameras: the ids, or {@link #ANY_CAMERA}. */
    public List<String> cameraTokens() {
        return cameras.isEmpty() ? List.of(ANY_CAMERA) : cameras;
    }

    /** The cameras of an index's stored tokens. */
    public static List<String> fromCameraTokens(Collection<String> tokens) {
        return tokens.stream().filter(t -> !ANY_CAMERA.equals(t)).toList();
    }

    /** Whether this entry may be matched on {@code cameraId} (null: on no camera). */
    public boolean allowedOn(String cameraId) {
        return cameras.isEmpty() || cameraId != null && cameras.contains(cameraId);
    }

    /** Purposes trimmed, without repeats, sorted; at least one, each 1..64 characters. */
    public static List<String> purposes(Collection<String> purposes) {
        if (purposes == null || purposes.isEmpty()) {
            throw new IllegalArgumentException(
                    "purposes are required: the purposes this entry may be matched for");
        }
        TreeSet<String> out = new TreeSet<>();
        for (String p : purposes) {
            String t = p == null ? "" : p.strip();
            if (t.isEmpty() || t.length() > MAX_PURPOSE_LENGTH) {
                throw new IllegalArgumentException(
                        "a purpose must be 1.."
                                + MAX_PURPOSE_LENGTH
                                + " characters, was '"
                                + p
                                + "'");
            }
            out.add(t);
        }
        if (out.size() > MAX_PURPOSES) {
            throw new IllegalArgumentException("at most " + MAX_PURPOSES + " purposes per entry");
        }
        return List.copyOf(out);
    }

    /** Whether this entry may be matched for one of {@code allowed}. */
    public boolean allowedFor(Collection<String> allowed) {
        for (String p : purposes) {
            if (allowed.contains(p)) {
                return true;
            }
        }
        return false;
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
