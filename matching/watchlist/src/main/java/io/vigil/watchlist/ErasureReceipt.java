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
 * @param verifiedAbsent a re-read of every store found nothing of the person (false while any
 *     store's removal is still pending)
 * @param stores each store that held the person, what was removed from it and whether a re-read
 *     verified it gone
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
        boolean verifiedAbsent,
        List<Store> stores) {

    /**
     * One store's part: its name ({@code watchlist-index}, {@code reference-faces}, {@code
     * gallery-index}, {@code gallery-faces}, {@code case-probes}), the items removed (entries,
     * bookings, probes), faces and bytes where they apply, whether a re-read verified the person
     * gone, and what remains to happen when it did not.
     */
    public record Store(
            String name,
            String where,
            List<String> removed,
            long faces,
            long bytes,
            boolean verifiedAbsent,
            String note) {
        public Store {
            removed = List.copyOf(removed);
        }
    }

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
        stores = List.copyOf(stores);
    }

    /** This receipt with another store's part; verified only while every store is. */
    public ErasureReceipt with(Store store) {
        List<Store> all = new java.util.ArrayList<>(stores);
        all.add(store);
        return new ErasureReceipt(
                receiptId,
                externalId,
                erasedAt,
                erasedBy,
                reason,
                this.store,
                entries,
                facesRemoved,
                referenceBytes,
                verifiedAbsent && store.verifiedAbsent(),
                all);
    }

    /** Whether any store held anything of the person. */
    public boolean foundAnything() {
        return stores.stream().anyMatch(s -> !s.removed().isEmpty());
    }
}
