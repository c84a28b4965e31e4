package io.vigil.watchlist.gallery;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.SyncProducer;
import io.vigil.common.kafka.Topic;
import io.vigil.common.kafka.TopicReplay;
import io.vigil.index.IndexedEntry;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.CaseProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A person's erasure on the investigation side: every booking in the gallery on record as the
 * person ({@code person_id}), with its face crops, and every probe kept for a case file whose
 * search listed one of those bookings as a candidate. Each store's removal is audited before it is
 * made, naming the erasure's receipt.
 */
public final class GalleryErasure {
    private GalleryErasure() {}

    /** What an erasure removed from the gallery, and whether a re-read found it gone. */
    public record Bookings(
            List<String> bookingIds,
            List<String> entryIds,
            long facesRemoved,
            long cropBytes,
            boolean verifiedAbsent) {}

    /**
     * The probes an erasure removed: tombstoned on their compacted topic, which the broker drops at
     * its next compaction (within {@link Topic#CASE_PROBE_SEGMENT_MS} and a cleaner pass), so they
     * are not verified gone when the receipt is written.
     */
    public record Probes(List<String> searchIds) {}

    /** Removes the person's bookings and their face crops from the gallery. */
    public static Bookings eraseBookings(
            Gallery gallery,
            String personId,
            String actor,
            String reason,
            String receiptId,
            AuditLog audit,
            Clock clock) {
        List<IndexedEntry> found = bookingsOf(gallery, personId);
        List<String> bookings = found.stream().map(e -> e.entry().externalId()).toList();
        List<String> entries = found.stream().map(e -> e.entry().entryId()).toList();
        audit.record(
                AuditEvents.event(AuditEventType.GALLERY_REMOVE, actor, clock.instant())
                        .setEventId(receiptId + "/gallery")
                        .setExternalId(personId)
                        .setReason(reason)
                        .setDetails(
                                AuditEvents.details(
                                        "erasure",
                                        receiptId,
                                        "bookings",
                                        String.join(",", bookings),
                                        "entryIds",
                                        String.join(",", entries)))
                        .build());
        long faces = 0;
        for (String id : entries) {
            faces += gallery.index().deleteEntry(id);
        }
        gallery.index().commit();
        long bytes = 0;
        for (String id : entries) {
            bytes += gallery.faces().deleteEntry(id);
        }
        Set<String> left = new HashSet<>(gallery.faces().entries());
        boolean gone =
                bookingsOf(gallery, personId).isEmpty()
                        && entries.stream().noneMatch(left::contains);
        return new Bookings(bookings, entries, faces, bytes, gone);
    }

    /**
     * Tombstones every kept probe whose search listed one of {@code entryIds} (the erased bookings)
     * as a candidate, as the search's audit event records its candidates.
     */
    public static Probes eraseProbes(
            KafkaSettings kafka,
            Set<String> entryIds,
            String actor,
            String reason,
            String receiptId,
            AuditLog audit,
            Clock clock) {
        Set<String> searches = new LinkedHashSet<>();
        if (!entryIds.isEmpty()) {
            for (AuditEvent e :
                    AuditExport.read(
                            kafka.kafka(),
                            kafka.topic(Topic.AUDIT),
                            Instant.EPOCH,
                            clock.instant().plusSeconds(1),
                            Set.of(AuditEventType.INVESTIGATION_SEARCH.name()))) {
                if (listsAny(e.getDetails().getOrDefault("candidates", ""), entryIds)) {
                    searches.add(e.getEventId());
                }
            }
        }
        String topic = kafka.topic(Topic.CASE_PROBES);
        List<String> kept = new ArrayList<>(keptProbes(kafka, topic, searches));
        audit.record(
                AuditEvents.event(AuditEventType.CASE_PROBES_ERASED, actor, clock.instant())
                        .setEventId(receiptId + "/case-probes")
                        .setReason(reason)
                        .setDetails(
                                AuditEvents.details(
                                        "erasure", receiptId, "searchIds", String.join(",", kept)))
                        .build());
        if (!kept.isEmpty()) {
            try (SyncProducer producer = new SyncProducer(kafka.kafka())) {
                for (String search : kept) {
                    producer.send(topic, search, (byte[]) null, null, "case probe tombstone");
                }
            }
        }
        return new Probes(List.copyOf(kept));
    }

    private static List<IndexedEntry> bookingsOf(Gallery gallery, String personId) {
        return gallery.index().entries().stream()
                .filter(e -> GalleryRecord.fromEntry(e.entry()).isOf(personId))
                .toList();
    }

    /** Whether a search's audited candidates ({@code entryId@rank=similarity;…}) list any. */
    static boolean listsAny(String candidates, Set<String> entryIds) {
        return Arrays.stream(candidates.split(";"))
                .map(c -> c.contains("@") ? c.substring(0, c.indexOf('@')) : c)
                .anyMatch(entryIds::contains);
    }

    /** The searches among {@code searches} whose probe is on the topic and not yet tombstoned. */
    private static Set<String> keptProbes(KafkaSettings kafka, String topic, Set<String> searches) {
        Map<String, Boolean> live = new HashMap<>();
        if (searches.isEmpty()) {
            return Set.of();
        }
        TopicReplay.fromBeginning(
                kafka.kafka(),
                topic,
                r -> {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        live.put(key, false);
                        return;
                    }
                    try {
                        CaseProbe p = CaseProbe.getDecoder().decode(r.value());
                        if (searches.contains(p.getSearchId())) {
                            live.put(p.getSearchId(), true);
                        }
                    } catch (IOException | RuntimeException e) {
                        // Not a probe Vigil wrote: nothing of this person to erase.
                    }
                });
        Set<String> out = new LinkedHashSet<>();
        searches.forEach(
                s -> {
                    if (live.getOrDefault(s, false)) {
                        out.add(s);
                    }
                });
        return out;
    }
}
