package io.vigil.watchlist;

import java.time.Instant;
import java.util.List;

/**
 * What an erasure removed, for the person or the regulator: every entry of the person, under every
 * embedding model, with its provenance and face count; where from; and whether a re-read found the
 * person gone. The audit log keeps the events about the person (ids, times, actors, reasons), which
 * hold no image and no embedding.
 *
 * @param receiptId also the id of the {@code PERSON_ERASED} audit event
 * @param referenceBytes bytes of reference face images (aligned and wider crops) deleted
 * @param verifiedAbsent a re-read after the erasure found no entry and no reference face of the
 *     person
 */
public record ErasureReceipt(
        String receiptId,
        String externalId,
        Instant erasedAt,
        String erasedBy,
        String reason,
        String store,
        List<ErasedEntry> entries,
        long facesRemoved,
        long referenceBytes,
        boolean verifiedAbsent) {

    /** One entry removed, as it was enrolled. */
    public record ErasedEntry(
            String entryId,
            String modelId,
            String legalBasis,
            String enrolledBy,
            Instant enrolledAt,
            Instant expiresAt,
            int faces) {}

    public ErasureReceipt {
        entries = List.copyOf(entries);
    }
}
