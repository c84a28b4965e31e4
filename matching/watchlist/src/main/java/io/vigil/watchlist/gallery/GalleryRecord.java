package io.vigil.watchlist.gallery;

import io.vigil.index.WatchlistEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One booking photo's entry in a gallery: who it is on record as (booking id, and the person's id
 * in the booking system when the export has one, by which an erasure finds every booking of a
 * person), when and by which agency and system it was taken, and its retention: a date after which
 * it is purged, or kept until a purge is requested. Stored in the gallery's own vector index, whose
 * entry fields it maps to ({@link #toEntry}); a gallery is never a watchlist ({@link Gallery}).
 */
public record GalleryRecord(
        String bookingId,
        LocalDate bookingDate,
        String agency,
        String sourceSystem,
        Instant purgeAt,
        boolean purgeOnRequest,
        String personId) {

    /** The one purpose of gallery entries: no camera may be authorized for it. */
    public static final String PURPOSE = "investigation";

    /** The expiry of an entry kept until a purge is requested. */
    static final Instant NO_EXPIRY = Instant.parse("9999-12-31T00:00:00Z");

    private static final char SEP = '\u001f';

    public GalleryRecord {
        if (bookingId == null || !WatchlistEntry.EXTERNAL_ID.matcher(bookingId).matches()) {
            throw new IllegalArgumentException(
                    "booking_id '" + bookingId + "' must be 1-255 chars of [a-zA-Z0-9_.\\-:]");
        }
        if (bookingDate == null) {
            throw new IllegalArgumentException("booking_date is required");
        }
        text(agency, "agency");
        text(sourceSystem, "source_system");
        personId = personId == null ? "" : personId;
        if (!personId.isEmpty() && !WatchlistEntry.EXTERNAL_ID.matcher(personId).matches()) {
            throw new IllegalArgumentException(
                    "person_id '" + personId + "' must be 1-255 chars of [a-zA-Z0-9_.\\-:]");
        }
        if ((purgeAt == null) == !purgeOnRequest) {
            throw new IllegalArgumentException(
                    "booking "
                            + bookingId
                            + ": give either purge_at (a date) or purge_on_request=true, not both"
                            + " and not neither");
        }
    }

    /** The entry id under a model: content-derived, so a rerun finds what it imported. */
    public static String entryId(String bookingId, String modelId) {
        return UUID.nameUUIDFromBytes(
                        ("gallery|" + bookingId + '|' + modelId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    WatchlistEntry toEntry(String importedBy, Instant importedAt, String modelId) {
        return new WatchlistEntry(
                entryId(bookingId, modelId),
                bookingId,
                importedBy,
                importedAt,
                String.join(
                        String.valueOf(SEP),
                        bookingDate.toString(),
                        agency,
                        sourceSystem,
                        personId),
                purgeOnRequest ? NO_EXPIRY : purgeAt,
                modelId,
                List.of(PURPOSE));
    }

    static GalleryRecord fromEntry(WatchlistEntry e) {
        String[] f = e.legalBasis().split(String.valueOf(SEP), -1);
        if (f.length != 4) {
            throw new IllegalStateException(e.entryId() + " is not a gallery entry");
        }
        boolean onRequest = !e.expiresAt().isBefore(NO_EXPIRY);
        return new GalleryRecord(
                e.externalId(),
                LocalDate.parse(f[0]),
                f[1],
                f[2],
                onRequest ? null : e.expiresAt(),
                onRequest,
                f[3]);
    }

    /** Whether the booking is on record as this person (never for a booking without a person). */
    public boolean isOf(String person) {
        return !personId.isEmpty() && personId.equals(person);
    }

    private static void text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.indexOf(SEP) >= 0 || value.length() > 200) {
            throw new IllegalArgumentException(name + " is malformed or over 200 characters");
        }
    }
}
